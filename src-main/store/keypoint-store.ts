/**
 * The keypoint cache: keyed by content hash + frame count + sampling scheme + pose model variant, so a
 * moved or renamed file keeps its keypoints and a different setting never reuses stale ones.
 */
import type { Db } from './database';
import type { Statement } from 'better-sqlite3';
import type { StoredKeypoints } from '../../src-shared/keypoints/stored';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import type { PoseSummary } from '../../src-shared/domain/video';
import { NO_POSE_ADVICE } from '../../src-shared/keypoints/stored';
import { decodeKeypointRecord, encodeKeypointRecord } from '../../src-shared/keypoints/cache-record';
import { SAMPLING_ID } from './project-store';

export interface KeypointKey {
  contentHash: string;
  numFrames: number;
  variant: PoseModelVariant;
}

export interface RawKeypoints {
  status: 'ok' | 'no_pose' | 'error';
  personRate: number | null;
  message: string | null;
  data: Uint8Array | null;
}

export class KeypointStore {
  private rawGet: Statement<unknown[]> | null = null;
  private rawAdd: Statement<unknown[]> | null = null;
  constructor(private readonly db: Db) {}

  get(key: KeypointKey): (StoredKeypoints & { status: 'ok' | 'no_pose' | 'error'; message: string | null }) | null {
    const row = this.db
      .prepare(
        'SELECT status, message, data FROM keypoint_cache WHERE content_hash = ? AND num_frames = ? AND sampling = ? AND model_variant = ?',
      )
      .get(key.contentHash, key.numFrames, SAMPLING_ID, key.variant) as
      { status: 'ok' | 'no_pose' | 'error'; message: string | null; data: Buffer | null } | undefined;
    if (!row) return null;
    const data = row.data ? decodeKeypointRecord(row.data, key) : null;
    return {
      numFrames: key.numFrames,
      variant: key.variant,
      timestamps: data?.timestamps ?? [],
      frames: data?.frames ?? [],
      world: data?.world ?? null,
      status: row.status,
      message: row.message,
    };
  }

  /** A cached result to reuse: a failed extraction (status 'error') is kept for display but always retried. */
  has(key: KeypointKey): boolean {
    return !!this.db
      .prepare(
        "SELECT 1 FROM keypoint_cache WHERE content_hash = ? AND num_frames = ? AND sampling = ? AND model_variant = ? AND status != 'error'",
      )
      .get(key.contentHash, key.numFrames, SAMPLING_ID, key.variant);
  }

  /** Save extracted keypoints; status follows from how many frames have a person. */
  save(key: KeypointKey, kp: StoredKeypoints | null, error?: string, note?: string): PoseSummary {
    let status: 'ok' | 'no_pose' | 'error';
    let personRate: number | null = null;
    let message: string | null = null;
    if (error || !kp) {
      status = 'error';
      message = error ?? 'Extraction failed';
    } else {
      const withPerson = kp.frames.filter((f) => f !== null).length;
      personRate = kp.frames.length ? withPerson / kp.frames.length : 0;
      status = withPerson === 0 ? 'no_pose' : 'ok';
      message = status === 'no_pose' ? NO_POSE_ADVICE : (note ?? null); // a warning on good keypoints
    }
    this.db
      .prepare(
        `INSERT INTO keypoint_cache (content_hash, num_frames, sampling, model_variant, status, person_rate, message, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(content_hash, num_frames, sampling, model_variant) DO UPDATE SET
           status = excluded.status, person_rate = excluded.person_rate, message = excluded.message, data = excluded.data,
           created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      )
      .run(
        key.contentHash,
        key.numFrames,
        SAMPLING_ID,
        key.variant,
        status,
        personRate,
        message,
        kp ? encodeKeypointRecord(kp) : null,
      );
    return { status, personRate, message };
  }

  /** The cache record as stored (the `data` bytes untouched): what a keypoint shard carries. */
  raw(key: KeypointKey & { sampling?: string }): RawKeypoints | null {
    // Statements kept: a shard merge calls this once per video (100,000s of times).
    this.rawGet ??= this.db.prepare(
      'SELECT status, person_rate, message, data FROM keypoint_cache WHERE content_hash = ? AND num_frames = ? AND sampling = ? AND model_variant = ?',
    );
    const row = this.rawGet.get(key.contentHash, key.numFrames, key.sampling ?? SAMPLING_ID, key.variant) as
      | { status: RawKeypoints['status']; person_rate: number | null; message: string | null; data: Buffer | null }
      | undefined;
    return row ? { status: row.status, personRate: row.person_rate, message: row.message, data: row.data } : null;
  }

  /**
   * Store a record from elsewhere unless a result (other than a failed extraction) is cached for the key:
   * one statement per video for a merge. True when stored; when false, compare with `raw`.
   */
  addRaw(key: KeypointKey & { sampling: string }, rec: RawKeypoints): boolean {
    this.rawAdd ??= this.db.prepare(
      `INSERT INTO keypoint_cache (content_hash, num_frames, sampling, model_variant, status, person_rate, message, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(content_hash, num_frames, sampling, model_variant) DO UPDATE SET
           status = excluded.status, person_rate = excluded.person_rate, message = excluded.message, data = excluded.data,
           created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE keypoint_cache.status = 'error'`,
    );
    return (
      this.rawAdd.run(
        key.contentHash,
        key.numFrames,
        key.sampling,
        key.variant,
        rec.status,
        rec.personRate,
        rec.message,
        rec.data,
      ).changes > 0
    );
  }

  clear(): number {
    return this.db.prepare('DELETE FROM keypoint_cache').run().changes;
  }
}
