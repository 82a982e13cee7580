/** Every row of a home's keypoint cache, for comparing two homes (sharded vs single-process extraction). */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function keypointCacheRows(home: string): unknown[] {
  const db = new Database(join(home, 'form-studio.db'), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT content_hash, num_frames, sampling, model_variant, status, person_rate, message, hex(data) AS data FROM keypoint_cache ORDER BY content_hash',
      )
      .all();
  } finally {
    db.close();
  }
}
