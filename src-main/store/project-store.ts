/**
 * The project store: every read and write of project data goes through here.
 * Writes are single transactions, so an acknowledged edit is on disk (WAL + synchronous=FULL).
 */
import type { Db } from './database';
import type { ProjectSummary } from '../../src-shared/domain/project';
import type { VideoInfo, VideoRow, Split, VideoStatus, PoseStatus } from '../../src-shared/domain/video';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { LabelEdit } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { normalizeRelPath } from '../../src-shared/labels/csv';
import { type CsvOptions, type CsvPreviewResult, applyLabelCsv, labelCsvExport, previewLabelCsv } from './label-csv';
import { DEFAULT_NUM_FRAMES } from '../../src-shared/keypoints/format';

/** Sampling scheme id stored with cached keypoints (see sampleTimestamps). */
export const SAMPLING_ID = 'uniform-center-v1';

/** A video as import writes it: everything but the id and the time it was added, plus a pre-filled exercise type. */
export type NewVideo = Omit<VideoInfo, 'id' | 'addedAt'> & { exerciseType?: ExerciseType | null };

interface VideoDbRow {
  id: number;
  rel_path: string;
  split: Split;
  content_hash: string | null;
  size_bytes: number | null;
  duration_sec: number | null;
  fps: number | null;
  frame_count: number | null;
  width: number | null;
  height: number | null;
  rotation: number | null;
  codec: string | null;
  status: VideoStatus;
  error_code: string | null;
  error_message: string | null;
  source: string;
  group_key: string | null;
  added_at: string;
  storage_key: string | null;
  original_path: string | null;
  toolkit_path: string | null;
  exercise_type: ExerciseType | null;
  score: number | null;
  labeled_by: string | null;
  updated_at: string | null;
  kp_status: 'ok' | 'no_pose' | 'error' | null;
  kp_person_rate: number | null;
  kp_message: string | null;
  pred_model_id: number | null;
  pred_score: number | null;
  pred_exercise: ExerciseType | null;
  pred_confidence: number | null;
}

export class ProjectStore {
  readonly projectId: number;

  constructor(
    private readonly db: Db,
    projectId: number,
  ) {
    this.projectId = projectId;
  }

  /** Open the first project, creating it ("My project", media under `defaultMediaRoot`) on first start. */
  static openDefault(db: Db, defaultMediaRoot: string): ProjectStore {
    const row = db.prepare('SELECT id FROM projects ORDER BY id LIMIT 1').get() as { id: number } | undefined;
    if (row) return new ProjectStore(db, row.id);
    const info = db
      .prepare('INSERT INTO projects (name, media_root) VALUES (?, ?)')
      .run('My project', defaultMediaRoot);
    return new ProjectStore(db, Number(info.lastInsertRowid));
  }

  get mediaRoot(): string {
    return (
      this.db.prepare('SELECT media_root FROM projects WHERE id = ?').get(this.projectId) as { media_root: string }
    ).media_root;
  }

  summary(): ProjectSummary {
    const p = this.db
      .prepare('SELECT id, name, media_root, created_at FROM projects WHERE id = ?')
      .get(this.projectId) as {
      id: number;
      name: string;
      media_root: string;
      created_at: string;
    };
    const c = this.db
      .prepare(
        `SELECT
           COUNT(*) AS videos,
           SUM(CASE WHEN l.score IS NOT NULL AND l.exercise_type IS NOT NULL THEN 1 ELSE 0 END) AS labeled,
           SUM(CASE WHEN v.split = 'train' THEN 1 ELSE 0 END) AS train,
           SUM(CASE WHEN v.split = 'test' THEN 1 ELSE 0 END) AS test,
           SUM(CASE WHEN k.status = 'ok' THEN 1 ELSE 0 END) AS with_kp
         FROM videos v
         LEFT JOIN labels l ON l.video_id = v.id
         LEFT JOIN keypoint_cache k ON k.content_hash = v.content_hash AND k.num_frames = @n AND k.sampling = @s AND k.model_variant = @m
         WHERE v.project_id = @p`,
      )
      .get({ p: this.projectId, n: DEFAULT_NUM_FRAMES, s: SAMPLING_ID, m: this.poseVariant() }) as Record<
      string,
      number | null
    >;
    const models = (
      this.db.prepare('SELECT COUNT(*) AS n FROM models WHERE project_id = ?').get(this.projectId) as { n: number }
    ).n;
    const runs = (
      this.db.prepare('SELECT COUNT(*) AS n FROM training_runs WHERE project_id = ?').get(this.projectId) as {
        n: number;
      }
    ).n;
    return {
      id: p.id,
      name: p.name,
      mediaRoot: p.media_root,
      createdAt: p.created_at,
      counts: {
        videos: c.videos ?? 0,
        labeled: c.labeled ?? 0,
        train: c.train ?? 0,
        test: c.test ?? 0,
        withKeypoints: c.with_kp ?? 0,
        models,
        runs,
      },
    };
  }

  rename(name: string): void {
    this.db.prepare('UPDATE projects SET name = ? WHERE id = ?').run(name, this.projectId);
  }

  getSetting(key: string): unknown {
    const row = this.db.prepare('SELECT settings_json FROM projects WHERE id = ?').get(this.projectId) as {
      settings_json: string;
    };
    const all = JSON.parse(row.settings_json) as Record<string, unknown>;
    return all[key] ?? null;
  }

  setSetting(key: string, value: unknown): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT settings_json FROM projects WHERE id = ?').get(this.projectId) as {
        settings_json: string;
      };
      const all = JSON.parse(row.settings_json) as Record<string, unknown>;
      if (value === null || value === undefined) delete all[key];
      else all[key] = value;
      this.db.prepare('UPDATE projects SET settings_json = ? WHERE id = ?').run(JSON.stringify(all), this.projectId);
    })();
  }

  poseVariant(): string {
    const v = this.getSetting('pose.variant');
    return typeof v === 'string' ? v : 'full';
  }

  private rowsQuery(where: string): string {
    return `SELECT v.*, l.exercise_type, l.score, l.labeled_by, l.updated_at,
              k.status AS kp_status, k.person_rate AS kp_person_rate, k.message AS kp_message,
              p.model_id AS pred_model_id, p.score AS pred_score, p.exercise_type AS pred_exercise, p.confidence AS pred_confidence
            FROM videos v
            LEFT JOIN labels l ON l.video_id = v.id
            LEFT JOIN keypoint_cache k ON k.content_hash = v.content_hash AND k.num_frames = @n AND k.sampling = @s AND k.model_variant = @m
            LEFT JOIN predictions p ON p.video_id = v.id AND p.model_id = (SELECT MAX(model_id) FROM predictions WHERE video_id = v.id)
            WHERE v.project_id = @p ${where}
            ORDER BY v.rel_path`;
  }

  listRows(limit?: number): VideoRow[] {
    const rows = this.db
      .prepare(this.rowsQuery('') + (limit ? ` LIMIT ${Math.floor(limit)}` : ''))
      .all({ p: this.projectId, n: DEFAULT_NUM_FRAMES, s: SAMPLING_ID, m: this.poseVariant() }) as VideoDbRow[];
    return rows.map(toVideoRow);
  }

  rowsByIds(ids: number[]): VideoRow[] {
    if (ids.length === 0) return [];
    const out: VideoRow[] = [];
    // Chunk to stay under SQLite's variable limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(this.rowsQuery(`AND v.id IN (${chunk.map(() => '?').join(',')})`))
        .all(...chunk, {
          p: this.projectId,
          n: DEFAULT_NUM_FRAMES,
          s: SAMPLING_ID,
          m: this.poseVariant(),
        }) as VideoDbRow[];
      out.push(...rows.map(toVideoRow));
    }
    return out;
  }

  videoById(id: number): VideoRow | null {
    return this.rowsByIds([id])[0] ?? null;
  }

  videoIdByRelPath(relPath: string): number | null {
    const row = this.db
      .prepare('SELECT id FROM videos WHERE project_id = ? AND rel_path = ?')
      .get(this.projectId, relPath) as { id: number } | undefined;
    return row?.id ?? null;
  }

  findByHash(hash: string): { id: number; relPath: string } | null {
    const row = this.db
      .prepare('SELECT id, rel_path FROM videos WHERE project_id = ? AND content_hash = ?')
      .get(this.projectId, hash) as { id: number; rel_path: string } | undefined;
    return row ? { id: row.id, relPath: row.rel_path } : null;
  }

  /** Insert or update a video by relative path; returns its id. A pre-filled exercise type never overwrites a coach's label. */
  upsertVideo(v: NewVideo): number {
    return this.db.transaction(() => {
      const existing = this.videoIdByRelPath(v.relPath);
      const params = {
        p: this.projectId,
        rel: v.relPath,
        split: v.split,
        hash: v.contentHash,
        size: v.sizeBytes,
        dur: v.durationSec,
        fps: v.fps,
        fc: v.frameCount,
        w: v.width,
        h: v.height,
        rot: v.rotation,
        codec: v.codec,
        status: v.status,
        ecode: v.errorCode,
        emsg: v.errorMessage,
        src: v.source,
        grp: v.groupKey,
        key: v.storageKey ?? null,
        orig: v.originalPath ?? null,
        tk: v.toolkitPath ?? null,
      };
      let id: number;
      if (existing !== null) {
        this.db
          .prepare(
            `UPDATE videos SET split=@split, content_hash=@hash, size_bytes=@size, duration_sec=@dur, fps=@fps, frame_count=@fc,
               width=@w, height=@h, rotation=@rot, codec=@codec, status=@status, error_code=@ecode, error_message=@emsg,
               source=@src, group_key=@grp, storage_key=@key, original_path=@orig, toolkit_path=@tk WHERE id=@id`,
          )
          .run({ ...params, id: existing });
        id = existing;
      } else {
        const info = this.db
          .prepare(
            `INSERT INTO videos (project_id, rel_path, split, content_hash, size_bytes, duration_sec, fps, frame_count, width, height,
               rotation, codec, status, error_code, error_message, source, group_key, storage_key, original_path, toolkit_path)
             VALUES (@p, @rel, @split, @hash, @size, @dur, @fps, @fc, @w, @h, @rot, @codec, @status, @ecode, @emsg, @src, @grp, @key, @orig, @tk)`,
          )
          .run(params);
        id = Number(info.lastInsertRowid);
      }
      if (v.exerciseType) {
        this.db
          .prepare(
            `INSERT INTO labels (video_id, exercise_type, score, labeled_by) VALUES (?, ?, NULL, 'import')
             ON CONFLICT(video_id) DO UPDATE SET exercise_type = COALESCE(labels.exercise_type, excluded.exercise_type)`,
          )
          .run(id, v.exerciseType);
      }
      return id;
    })();
  }

  removeVideos(ids: number[]): number {
    return this.db.transaction(() => {
      let n = 0;
      const stmt = this.db.prepare('DELETE FROM videos WHERE project_id = ? AND id = ?');
      for (const id of ids) n += stmt.run(this.projectId, id).changes;
      return n;
    })();
  }

  /** Apply label edits in one transaction. Unknown video ids fail the whole batch. */
  applyLabelEdits(edits: LabelEdit[], labeledBy: string): number[] {
    const ids = this.db.transaction(() => {
      const exists = this.db.prepare('SELECT id FROM videos WHERE project_id = ? AND id = ?');
      const upsert = this.db.prepare(
        `INSERT INTO labels (video_id, exercise_type, score, labeled_by, updated_at)
         VALUES (@id, @type, @score, @by, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         ON CONFLICT(video_id) DO UPDATE SET
           exercise_type = CASE WHEN @setType THEN excluded.exercise_type ELSE labels.exercise_type END,
           score = CASE WHEN @setScore THEN excluded.score ELSE labels.score END,
           labeled_by = excluded.labeled_by,
           updated_at = excluded.updated_at`,
      );
      const setSplit = this.db.prepare('UPDATE videos SET split = ? WHERE id = ?');
      const touched: number[] = [];
      for (const e of edits) {
        if (!exists.get(this.projectId, e.videoId))
          throw new ApiError('not_found', `Video ${e.videoId} is not in this project`);
        const setType = e.exerciseType !== undefined;
        const setScore = e.score !== undefined;
        if (setType || setScore) {
          upsert.run({
            id: e.videoId,
            type: e.exerciseType ?? null,
            score: e.score ?? null,
            by: labeledBy,
            setType: setType ? 1 : 0,
            setScore: setScore ? 1 : 0,
          });
        }
        if (e.split !== undefined) setSplit.run(e.split, e.videoId);
        touched.push(e.videoId);
      }
      return touched;
    })();
    return ids;
  }

  /** What applying a CSV would change, row by row and how each path matched; nothing is written. */
  previewCsv(text: string, opts: CsvOptions = {}): CsvPreviewResult {
    return previewLabelCsv(this.db, this, text, opts);
  }

  /** Apply a CSV in one transaction; refuses when the file has any error, or an unmatched path unless allowed. */
  applyCsv(text: string, labeledBy: string, opts: CsvOptions = {}): { applied: number; skipped: number } {
    return applyLabelCsv(this.db, this, text, labeledBy, opts);
  }

  /** Rows and format for the toolkit's CSV (its own paths, the last applied file's order and bytes). */
  labelCsvExport(): ReturnType<typeof labelCsvExport> {
    return labelCsvExport(this.db, this);
  }
}

function poseStatus(r: VideoDbRow): PoseStatus {
  return r.kp_status ?? 'none';
}

function toVideoRow(r: VideoDbRow): VideoRow {
  return {
    id: r.id,
    relPath: normalizeRelPath(r.rel_path),
    split: r.split,
    contentHash: r.content_hash,
    sizeBytes: r.size_bytes,
    durationSec: r.duration_sec,
    fps: r.fps,
    frameCount: r.frame_count,
    width: r.width,
    height: r.height,
    rotation: r.rotation,
    codec: r.codec,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    source: r.source,
    groupKey: r.group_key,
    addedAt: r.added_at,
    storageKey: r.storage_key,
    originalPath: r.original_path,
    toolkitPath: r.toolkit_path,
    label: { exerciseType: r.exercise_type, score: r.score, labeledBy: r.labeled_by, updatedAt: r.updated_at },
    pose: { status: poseStatus(r), personRate: r.kp_person_rate, message: r.kp_message },
    prediction:
      r.pred_model_id !== null && r.pred_score !== null
        ? {
            modelId: r.pred_model_id,
            score: r.pred_score,
            exerciseType: r.pred_exercise,
            confidence: r.pred_confidence,
          }
        : null,
  };
}
