/**
 * Schema migration 5: convert the keypoint cache's legacy JSON records to the binary format
 * (src-shared/keypoints/cache-record.ts). It runs inside the migration's transaction, so a crash leaves every
 * row as it was (and the schema version unchanged: it runs again on the next open). Rows are read in pages by
 * rowid so memory stays bounded on a large cache. A record that cannot be converted (not a keypoint record)
 * is left untouched and counted; readers still read JSON rows, so nothing is lost either way.
 * A large cache takes minutes (≈50 KB of JSON per video): `onProgress` hears every page, with the total first.
 */
import type Database from 'better-sqlite3';
import { isBinaryKeypointRecord, toBinaryKeypointRecord } from '../../src-shared/keypoints/cache-record';

const PAGE = 500;

export interface KeypointConversion {
  converted: number;
  alreadyBinary: number;
  kept: number;
}

export function convertKeypointCacheToBinary(
  db: Database.Database,
  onProgress?: (done: number, total: number) => void,
): KeypointConversion {
  // Counting reads each row's header, not its record (the data sits in overflow pages): quick even on GBs.
  const total = onProgress
    ? (db.prepare('SELECT COUNT(*) AS n FROM keypoint_cache WHERE data IS NOT NULL').get() as { n: number }).n
    : 0;
  let done = 0;
  onProgress?.(0, total);
  const page = db.prepare(
    'SELECT rowid AS id, data FROM keypoint_cache WHERE rowid > ? AND data IS NOT NULL ORDER BY rowid LIMIT ?',
  );
  const update = db.prepare('UPDATE keypoint_cache SET data = ? WHERE rowid = ?');
  const report: KeypointConversion = { converted: 0, alreadyBinary: 0, kept: 0 };
  let last = 0;
  for (;;) {
    const rows = page.all(last, PAGE) as Array<{ id: number; data: Buffer }>;
    if (!rows.length) break;
    for (const r of rows) {
      last = r.id;
      if (isBinaryKeypointRecord(r.data)) {
        report.alreadyBinary++;
        continue;
      }
      let bin: Uint8Array;
      try {
        bin = toBinaryKeypointRecord(r.data);
      } catch {
        report.kept++;
        continue;
      }
      update.run(bin, r.id);
      report.converted++;
    }
    done += rows.length;
    onProgress?.(done, total);
  }
  return report;
}
