/**
 * Cost of the two-people check (src-renderer/pose/people-check.ts: 2 frames per clip, IMAGE mode with up to
 * two poses, on one of the extraction's own landmarkers) against the clip's own extraction (24 frames, VIDEO mode, one pose), in
 * one headless run of the app's extraction on real clips: 5 fixture clips and one built here with two people
 * side by side (ffmpeg hstack). The first clip's check is reported apart (its worker's first switch to IMAGE mode, still warming up).
 *   npx tsx bench/people.ts   → prints a table, writes bench/results/people.json
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../src-main/services';
import { extractHeadless } from '../src-main/cli/headless';
import { findFfmpeg } from '../src-main/media/ffmpeg';
import { fixture } from '../test/support/fixtures';

const NUM_FRAMES = 24;
const CLIPS = ['gymnai_squat', 'gymnai_bicep_curl', 'gymnai_push_up', 'gymnai_deadlifts', 'tfjs_pose_squats'].map((n) =>
  fixture('videos', `${n}.mp4`),
);
const home = mkdtempSync(join(tmpdir(), 'bench-people-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const two = join(home, 'two-people.mp4');
  execFileSync(findFfmpeg().ffmpeg, [
    ...['-v', 'error', '-y', '-t', '6', '-i', fixture('videos', 'rjsong_squat.mp4'), '-t', '6', '-i', CLIPS[4]],
    ...[
      '-filter_complex',
      '[0:v]crop=480:720:400:0,scale=360:540,fps=30[a];[1:v]scale=304:540,fps=30[b];[a][b]hstack=inputs=2',
      '-an',
    ],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', two],
  ]);
  const s = new Services({ home, mode: 'browser' });
  try {
    const { jobId } = await s.invoke('videos.import', { paths: [...CLIPS, two], split: 'test' });
    while (s.jobs.list().find((j) => j.id === jobId)?.state === 'running') await new Promise((r) => setTimeout(r, 100));
    const rows = await s.invoke('videos.list', {});
    const ids = rows.map((r) => r.id);
    const r = await extractHeadless(s, ids, { numFrames: NUM_FRAMES, workers: 1 });
    const checks = r.peopleCheckMs ?? [];
    if (checks.length !== ids.length) throw new Error(`expected ${ids.length} checks, got ${checks.length}`);
    const notes = await Promise.all(
      ids.map(async (id) => (await s.invoke('keypoints.get', { videoId: id, numFrames: NUM_FRAMES }))?.note ?? null),
    );
    const clipMs = (r.msPerFrame ?? 0) * NUM_FRAMES;
    const row = {
      clips: ids.length,
      extractMsPerClip: Math.round(clipMs),
      checkMsFirst: Math.round(checks[0]),
      checkMsMedian: Math.round(median(checks.slice(1))),
      checkShareOfClip: +(median(checks.slice(1)) / clipMs).toFixed(3),
      warned: notes.filter(Boolean).length,
      twoPeopleWarned: !!notes[rows.findIndex((v) => v.relPath.endsWith('two-people.mp4'))],
    };
    console.table([row]);
    console.log(notes.map((n, i) => `${rows[i].relPath}: ${n ?? '(no warning)'}`).join('\n'));
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(
      join(import.meta.dirname, 'results/people.json'),
      JSON.stringify({ at: new Date().toISOString(), load: loadavg(), delegate: r.delegate, row, notes }, null, 1),
    );
  } finally {
    s.close();
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
