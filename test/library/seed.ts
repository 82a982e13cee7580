/**
 * Seed a Form Studio home with generated videos straight through the project store (no media files).
 * Used by the grid bench (10,000 rows) and as the e2e fallback when import is unavailable.
 *
 *   tsx test/library/seed.ts <home> <count> [labeledFraction]
 */
import { openDatabase } from '../../src-main/store/database';
import { ProjectStore } from '../../src-main/store/project-store';
import { homePaths } from '../../src-main/paths';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { videoRecord } from '../support/video-record';

export function seedHome(home: string, count: number, labeledFraction = 0.5): { ms: number } {
  const t0 = performance.now();
  const paths = homePaths(home);
  const db = openDatabase(paths.db);
  const store = ProjectStore.openDefault(db, paths.media);
  const folders = EXERCISE_TYPES.filter((t) => t !== 'other');
  const edits: Array<{ videoId: number; exerciseType: (typeof EXERCISE_TYPES)[number]; score: number }> = [];
  // One transaction for all inserts (fast), the store's own statements inside.
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const type = folders[i % folders.length];
      const id = store.upsertVideo(
        videoRecord(
          `${type}/athlete_${String(Math.floor(i / 7)).padStart(4, '0')}_${type}_${String(i).padStart(5, '0')}.mp4`,
          {
            split: i % 5 === 0 ? 'test' : 'train',
            contentHash: `sha256:${i.toString(16).padStart(64, '0')}`,
            sizeBytes: 1_000_000 + i,
            durationSec: 2 + (i % 13) * 0.5,
            frameCount: Math.round((2 + (i % 13) * 0.5) * 30),
            source: 'seed',
          },
        ),
      );
      if ((i * 7919) % 1000 < labeledFraction * 1000)
        edits.push({ videoId: id, exerciseType: type, score: 40 + ((i * 37) % 61) });
    }
  })();
  if (edits.length > 0) store.applyLabelEdits(edits, 'seed');
  db.close();
  return { ms: performance.now() - t0 };
}

if (process.argv[1] && /seed\.ts$/.test(process.argv[1])) {
  const [home, count, frac] = process.argv.slice(2);
  if (!home || !count) {
    console.error('usage: tsx test/library/seed.ts <home> <count> [labeledFraction]');
    process.exit(2);
  }
  const r = seedHome(home, Number(count), frac ? Number(frac) : 0.5);
  console.log(JSON.stringify({ seeded: Number(count), ms: Math.round(r.ms) }));
}
