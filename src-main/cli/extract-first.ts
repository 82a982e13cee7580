/**
 * `form-studio train` extracts the keypoints it is missing first, as the toolkit's train_model.py did: the
 * labeled training videos without keypoints for this frame count and pose model go through the app's own
 * extraction (headless renderer, same cache as the app), with a progress bar and ETA in the terminal.
 */
import type { Services } from '../services';
import { extractHeadless } from './headless';

function eta(startMs: number, done: number, total: number): string {
  if (done <= 0) return 'ETA –';
  const left = (((Date.now() - startMs) / done) * (total - done)) / 1000;
  return `ETA ${Math.floor(left / 60)}:${String(Math.round(left % 60)).padStart(2, '0')}`;
}

function progressLine(done: number, total: number, startMs: number, width = 28): string {
  const n = Math.round((total ? done / total : 0) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${done}/${total} ${eta(startMs, done, total)}`;
}

/** Extract what training needs; returns how many videos were attempted and how many failed. */
export async function extractForTraining(
  services: Services,
  numFrames: number,
): Promise<{ attempted: number; failed: number }> {
  const pending = await services.invoke('keypoints.pending', { numFrames });
  const rows = pending.length ? await services.invoke('videos.get', { videoIds: pending }) : [];
  const ids = rows.filter((r) => r.split === 'train' && r.label.score !== null).map((r) => r.id);
  if (!ids.length) {
    console.log('Keypoints: no labeled training video is missing them.');
    return { attempted: 0, failed: 0 };
  }
  console.log(`Extracting keypoints for ${ids.length} labeled training video(s) first (--no-extract skips this)…`);
  const t0 = Date.now();
  const tty = process.stdout.isTTY;
  let lastLogged = -1;
  const r = await extractHeadless(services, ids, {
    numFrames,
    onProgress: (done, total) => {
      if (tty) process.stdout.write(`\r${progressLine(done, total, t0)}   `);
      else if (done !== lastLogged && (done === total || done - lastLogged >= Math.max(1, Math.ceil(total / 10)))) {
        lastLogged = done;
        console.log(progressLine(done, total, t0));
      }
    },
  });
  if (tty) process.stdout.write(`\r${progressLine(r.done, ids.length, t0)}\n`);
  // Progress is polled from the page, so the last poll can miss the end: the final line is always written.
  else if (lastLogged !== ids.length) console.log(progressLine(r.done, ids.length, t0));
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `Keypoints: ${r.ok} ok, ${r.noPose} with no pose, ${r.failed} failed in ${secs} s${r.msPerFrame ? ` (${r.msPerFrame.toFixed(0)} ms/frame)` : ''}.`,
  );
  if (r.failed)
    console.log(
      `${r.failed} video(s) could not be extracted: training goes on without them (see \`form-studio keypoints\`).`,
    );
  return { attempted: ids.length, failed: r.failed };
}
