/**
 * The keypoints `form-studio score` needs (the model's N frames and the dense frames for reps), extracted in
 * one headless session: Chromium, the page and the pose model start once, as soon as we know pose is needed
 * (for new content: while the video is still being checked and imported); both frame sets are sampled in one
 * ffmpeg decode meanwhile, then extracted side by side.
 */
import type { Services } from '../services';
import { CliError } from './args';
import { openHeadless, type HeadlessExtractResult, type HeadlessSession } from './headless';
import { markPhases } from './timing';
import { presampleFile, presampleFrames } from '../keypoints/handlers';
import { probe } from '../media/probe';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

/** A headless session opened on first use (or early, by `open()`), closed by `close()` if it was opened. */
export class PoseSession {
  private session: Promise<HeadlessSession> | null = null;

  constructor(
    private readonly services: Services,
    readonly variant: PoseModelVariant,
  ) {}

  open(): Promise<HeadlessSession> {
    if (!this.session) {
      this.session = openHeadless(this.services, { warm: { variant: this.variant } });
      this.session.catch(() => undefined); // awaited by whoever extracts; a start that is never used is not an error
    }
    return this.session;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.then((x) => x.close()).catch(() => undefined);
  }
}

/**
 * Start extracting each frame count of `counts` that is not cached (all of them with `noCache`); resolves, per
 * count, when its keypoints are saved. A count whose extraction fails rejects with `failMessage(count)`.
 */
export async function extractForScore(
  services: Services,
  pose: PoseSession,
  videoId: number,
  counts: number[],
  opts: { noCache: boolean; failMessage: (count: number) => string },
): Promise<Array<Promise<void>>> {
  const pending = await Promise.all(
    counts.map((n) =>
      services.invoke('keypoints.pending', {
        videoIds: [videoId],
        numFrames: n,
        variant: pose.variant,
        force: opts.noCache,
      }),
    ),
  );
  const todo = counts.filter((_, i) => pending[i].length > 0);
  const progress = framesLine(todo.length);
  // One ffmpeg decode for every frame set, started now (while Chromium and the pose model start); the page's
  // own prepare calls find these frames or wait for them. A failure shows there, with its message.
  if (todo.length > 0) presampleFrames(services.ctx, videoId, todo).catch(() => undefined);
  return counts.map(async (n, i) => {
    if (pending[i].length === 0) return;
    const session = await pose.open();
    const r: HeadlessExtractResult = await session
      .extract(pending[i], { numFrames: n, variant: pose.variant, onFrames: (d, t) => progress.update(n, d, t) })
      .finally(() => progress.finish());
    markPhases(`${n} frames`, r.phases);
    markPhases(`${n} frames, page`, r.stepsMs, 1000);
    if (r.failed > 0) throw new CliError(opts.failMessage(n));
  });
}

/**
 * "Pose: 57/174 frames" on stderr while the frame sets are extracted, in a terminal only (a script reads
 * stdout; a log file needs no carriage returns). Cleared when the last set is done.
 */
function framesLine(sets: number): {
  update(set: number, done: number, total: number): void;
  finish(): void;
} {
  const tty = process.stderr.isTTY;
  const seen = new Map<number, { done: number; total: number }>();
  let left = sets;
  // Chromium and the pose model take seconds to start: say so rather than show nothing.
  let starting = tty && sets > 0;
  if (starting) process.stderr.write('Pose: starting the pose model…');
  return {
    update(set, done, total) {
      seen.set(set, { done, total });
      if (!tty || total === 0) return;
      const sum = [...seen.values()].reduce((a, b) => ({ done: a.done + b.done, total: a.total + b.total }));
      process.stderr.write(`\r${starting ? '\x1b[K' : ''}Pose: ${sum.done}/${sum.total} frames`);
      starting = false;
    },
    finish() {
      if (--left === 0 && tty && (seen.size > 0 || starting)) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Dense frames for counting reps: 5 per second of video (at least 24, at most 10,000). */
export function denseFrameCount(durationSec: number | null | undefined): number {
  return Math.max(24, Math.min(10_000, Math.round((durationSec ?? 10) * 5)));
}

/**
 * New content: sample its frame sets from the user's file (read only) right away, while it is checked and
 * imported and Chromium starts; the imported copy has the same content hash, so its prepare calls find them.
 * Best effort: a failure only means the page samples the frames itself (and reports any error).
 */
export function presampleNewFile(services: Services, file: string, numFrames: number): void {
  void probe(file)
    .then((p) => presampleFile(services.ctx, file, [numFrames, denseFrameCount(p.duration)], p))
    .catch(() => undefined);
}
