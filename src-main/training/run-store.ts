/**
 * Training runs in the project database (training_runs, epoch_metrics, models, predictions) and their files
 * under home/models: checkpoints/<runId>.ckpt (written in parts, replaced atomically) and <modelId>.fsmodel.
 */
import { unpackFile } from '../../src-shared/model/serialize';
import type { ModelSpec } from '../../src-shared/model/architecture';
import { mkdirSync, existsSync, statSync, rmSync, openSync, readSync, closeSync } from 'node:fs';
import { open, rename, unlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../store/database';
import type { ProjectStore } from '../store/project-store';
import { SAMPLING_ID } from '../store/project-store';
import { ApiError } from '../../src-shared/api/errors';
import { writeFileAtomic } from '../fs-safe';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { CHECKPOINT_PART_BYTES, type EpochRecord, type Evaluation, type PredictItem, type ResumeInfo, type RunDetail, type RunModel, type RunStatus, type RunSummary, type TrainingData, type TrainingItem, type TrainingSettings } from '../../src-shared/api/training-contract';
import { groupKeyOf } from '../../src-shared/training/samples';
import type { StoredKeypoints } from '../../src-shared/keypoints/stored';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

interface RunRow {
  id: number;
  model_kind: string;
  settings_json: string;
  status: RunStatus;
  backend: string | null;
  message: string | null;
  best_epoch: number | null;
  best_val_mae: number | null;
  started_at: string;
  finished_at: string | null;
  checkpoint_epoch: number | null;
  evaluation_json: string | null;
  data_json: string | null;
  epochs: number;
}

export interface CheckpointPart {
  runId: number;
  epoch: number;
  part: number;
  parts: number;
  bytes: Uint8Array;
}

export class RunStore {
  readonly checkpointDir: string;
  /** Parts received so far per run (a checkpoint in transit). */
  private readonly pending = new Map<number, { epoch: number; next: number; parts: number }>();

  constructor(
    private readonly db: Db,
    private readonly project: ProjectStore,
    readonly modelsDir: string,
  ) {
    this.checkpointDir = join(modelsDir, 'checkpoints');
    mkdirSync(this.checkpointDir, { recursive: true });
  }

  // ── Training data ─────────────────────────────────────────────────────────────────────────────────
  trainingData(numFrames: number, variant: PoseModelVariant, withOthers: boolean): TrainingData {
    const rows = this.db
      .prepare(
        `SELECT v.id, v.rel_path, v.split, v.status, v.group_key, v.width, v.height, v.rotation,
                l.exercise_type, l.score, k.status AS kp_status, k.data AS kp_data
         FROM videos v
         LEFT JOIN labels l ON l.video_id = v.id
         LEFT JOIN keypoint_cache k ON k.content_hash = v.content_hash AND k.num_frames = @n AND k.sampling = @s AND k.model_variant = @m
         WHERE v.project_id = @p ORDER BY v.rel_path`,
      )
      .all({ p: this.project.projectId, n: numFrames, s: SAMPLING_ID, m: variant }) as Array<{
      id: number;
      rel_path: string;
      split: 'train' | 'test';
      status: string;
      group_key: string | null;
      width: number | null;
      height: number | null;
      rotation: number | null;
      exercise_type: ExerciseType | null;
      score: number | null;
      kp_status: 'ok' | 'no_pose' | 'error' | null;
      kp_data: Buffer | null;
    }>;
    const data: TrainingData = {
      numFrames,
      variant,
      items: [],
      others: [],
      exerciseTypes: [],
      counts: { trainVideos: 0, usable: 0, unlabeled: 0, noKeypoints: 0, noPose: 0, extractionFailed: 0, importFailed: 0 },
      excluded: [],
    };
    const exclude = (r: (typeof rows)[number], reason: TrainingData['excluded'][number]['reason']) => {
      if (data.excluded.length < 200) data.excluded.push({ videoId: r.id, relPath: r.rel_path, reason });
    };
    const types = new Set<ExerciseType>();
    for (const r of rows) {
      const labeled = r.score !== null && r.exercise_type !== null;
      const kp = r.kp_status === 'ok' && r.kp_data ? (JSON.parse(r.kp_data.toString('utf8')) as StoredKeypoints) : null;
      // width/height are stored as displayed (rotation already applied at import), like the frames pose saw.
      const aspectRatio = r.width && r.height ? r.width / r.height : 1;
      if (r.split === 'train') {
        data.counts.trainVideos++;
        if (r.status === 'error') {
          data.counts.importFailed++;
          exclude(r, 'import failed');
          continue;
        }
        if (!labeled) {
          data.counts.unlabeled++;
          exclude(r, 'unlabeled');
        } else if (r.kp_status === null) {
          data.counts.noKeypoints++;
          exclude(r, 'no keypoints');
        } else if (r.kp_status === 'no_pose') {
          data.counts.noPose++;
          exclude(r, 'no pose');
        } else if (r.kp_status === 'error' || !kp) {
          data.counts.extractionFailed++;
          exclude(r, 'extraction failed');
        } else {
          const item: TrainingItem = {
            videoId: r.id,
            relPath: r.rel_path,
            split: r.split,
            score: r.score!,
            exercise: r.exercise_type!,
            group: groupKeyOf(r.rel_path, r.group_key),
            aspectRatio,
            keypoints: { ...kp, numFrames, variant },
          };
          data.items.push(item);
          types.add(item.exercise);
          data.counts.usable++;
          continue;
        }
      }
      if (withOthers && kp) {
        const other: PredictItem = {
          videoId: r.id,
          relPath: r.rel_path,
          split: r.split,
          score: r.score,
          exercise: r.exercise_type,
          aspectRatio,
          keypoints: { ...kp, numFrames, variant },
        };
        data.others.push(other);
      }
    }
    data.exerciseTypes = EXERCISE_TYPES.filter((t) => types.has(t));
    return data;
  }

  // ── Runs ──────────────────────────────────────────────────────────────────────────────────────────
  create(settings: TrainingSettings, backend: string, dataSummary: { train: number; val: number }): number {
    const info = this.db
      .prepare(`INSERT INTO training_runs (project_id, model_kind, settings_json, status, backend, data_json) VALUES (?, ?, ?, 'running', ?, ?)`)
      .run(this.project.projectId, settings.modelKind, JSON.stringify(settings), backend, JSON.stringify(dataSummary));
    return Number(info.lastInsertRowid);
  }

  private row(runId: number): RunRow {
    const r = this.db
      .prepare(
        `SELECT r.*, (SELECT COUNT(*) FROM epoch_metrics e WHERE e.run_id = r.id) AS epochs
         FROM training_runs r WHERE r.id = ? AND r.project_id = ?`,
      )
      .get(runId, this.project.projectId) as RunRow | undefined;
    if (!r) throw new ApiError('not_found', `Training run ${runId} does not exist`);
    return r;
  }

  private requireRunning(runId: number): RunRow {
    const r = this.row(runId);
    if (r.status !== 'running') throw new ApiError('conflict', `Training run ${runId} has finished (${r.status})`);
    return r;
  }

  setBackend(runId: number, backend: string): void {
    this.row(runId);
    this.db.prepare('UPDATE training_runs SET backend = ? WHERE id = ?').run(backend, runId);
  }

  saveEpoch(runId: number, m: EpochRecord): void {
    this.requireRunning(runId);
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO epoch_metrics (run_id, epoch, metrics_json) VALUES (?, ?, ?) ON CONFLICT(run_id, epoch) DO UPDATE SET metrics_json = excluded.metrics_json')
        .run(runId, m.epoch, JSON.stringify(m));
      // A resumed run may re-send epochs after its checkpoint: drop any later ones left from before the crash.
      this.db.prepare('DELETE FROM epoch_metrics WHERE run_id = ? AND epoch > ?').run(runId, m.epoch);
      if (m.improved) {
        this.db.prepare('UPDATE training_runs SET best_epoch = ?, best_val_mae = ? WHERE id = ?').run(m.epoch, m.valMae ?? m.mae, runId);
      }
    })();
  }

  checkpointPath(runId: number): string {
    return join(this.checkpointDir, `${runId}.ckpt`);
  }

  /** Receive one part; the last part fsyncs the file and renames it over the previous checkpoint. */
  async checkpointPart(p: CheckpointPart): Promise<boolean> {
    this.requireRunning(p.runId);
    const partial = `${this.checkpointPath(p.runId)}.partial`;
    const st = this.pending.get(p.runId);
    if (p.part === 0) this.pending.set(p.runId, { epoch: p.epoch, next: 0, parts: p.parts });
    else if (!st || st.epoch !== p.epoch || st.next !== p.part || st.parts !== p.parts) {
      throw new ApiError('bad_input', `Checkpoint part ${p.part + 1}/${p.parts} of run ${p.runId} arrived out of order; send it again from part 1`);
    }
    if (p.part < p.parts - 1 && p.bytes.length !== CHECKPOINT_PART_BYTES) {
      throw new ApiError('bad_input', `Checkpoint parts other than the last must be ${CHECKPOINT_PART_BYTES} bytes`);
    }
    const fh = await open(partial, p.part === 0 ? 'w' : 'a');
    try {
      await fh.write(p.bytes);
      if (p.part === p.parts - 1) await fh.sync();
    } finally {
      await fh.close();
    }
    const cur = this.pending.get(p.runId)!;
    cur.next = p.part + 1;
    if (p.part < p.parts - 1) return false;
    this.pending.delete(p.runId);
    await rename(partial, this.checkpointPath(p.runId));
    this.db.prepare('UPDATE training_runs SET checkpoint_epoch = ? WHERE id = ?').run(p.epoch, p.runId);
    return true;
  }

  readCheckpoint(runId: number, offset: number): { bytes: Buffer; done: boolean } {
    this.row(runId);
    const file = this.checkpointPath(runId);
    if (!existsSync(file)) throw new ApiError('not_found', `Run ${runId} has no checkpoint`);
    const size = statSync(file).size;
    if (offset > size) throw new ApiError('bad_input', `offset ${offset} is past the end of the checkpoint (${size} bytes)`);
    const len = Math.min(CHECKPOINT_PART_BYTES, size - offset);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, 'r');
    try {
      let got = 0;
      while (got < len) {
        const n = readSync(fd, buf, got, len - got, offset + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    return { bytes: buf, done: offset + len >= size };
  }

  resumeInfo(runId?: number): ResumeInfo | null {
    let id = runId;
    if (id === undefined) {
      const r = this.db
        .prepare(`SELECT id FROM training_runs WHERE project_id = ? AND status IN ('running','cancelled') AND checkpoint_epoch IS NOT NULL ORDER BY id DESC`)
        .all(this.project.projectId) as Array<{ id: number }>;
      id = r.find((x) => existsSync(this.checkpointPath(x.id)))?.id;
      if (id === undefined) return null;
    }
    const run = this.summary(this.row(id));
    if (!run.resumable || run.checkpointEpoch === null) return null;
    return { run, epoch: run.checkpointEpoch, sizeBytes: statSync(this.checkpointPath(id)).size, history: this.metrics(id).filter((m) => m.epoch <= run.checkpointEpoch!) };
  }

  /** Reopen a stopped run to continue it from its checkpoint. */
  reopen(runId: number): void {
    const r = this.row(runId);
    if (r.status !== 'running' && r.status !== 'cancelled') throw new ApiError('conflict', `Run ${runId} has ${r.status}; only a stopped or interrupted run can be resumed`);
    this.db.prepare(`UPDATE training_runs SET status = 'running', finished_at = NULL WHERE id = ?`).run(runId);
  }

  finish(
    runId: number,
    f: { status: Exclude<RunStatus, 'running'>; message: string; bestEpoch: number | null; bestValMae: number | null; evaluation?: Evaluation | null },
  ): RunSummary {
    this.row(runId);
    this.db
      .prepare(
        `UPDATE training_runs SET status = ?, message = ?, best_epoch = COALESCE(?, best_epoch), best_val_mae = COALESCE(?, best_val_mae),
           evaluation_json = COALESCE(?, evaluation_json), finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
      )
      .run(f.status, f.message, f.bestEpoch, f.bestValMae, f.evaluation ? JSON.stringify(f.evaluation) : null, runId);
    // A stopped run keeps its checkpoint (it can be resumed); a finished one does not need it.
    if (f.status !== 'cancelled') {
      rmSync(this.checkpointPath(runId), { force: true });
      rmSync(`${this.checkpointPath(runId)}.partial`, { force: true });
      this.db.prepare('UPDATE training_runs SET checkpoint_epoch = NULL WHERE id = ?').run(runId);
    }
    this.pending.delete(runId);
    return this.get(runId).run;
  }

  metrics(runId: number): EpochRecord[] {
    return (this.db.prepare('SELECT metrics_json FROM epoch_metrics WHERE run_id = ? ORDER BY epoch').all(runId) as Array<{ metrics_json: string }>).map(
      (r) => JSON.parse(r.metrics_json) as EpochRecord,
    );
  }

  private models(runId: number): RunModel[] {
    return (
      this.db.prepare('SELECT id, role, name, val_mae FROM models WHERE run_id = ? ORDER BY id').all(runId) as Array<{
        id: number;
        role: 'best' | 'final';
        name: string;
        val_mae: number | null;
      }>
    ).map((m) => ({ id: m.id, role: m.role, name: m.name, valMae: m.val_mae }));
  }

  private summary(r: RunRow): RunSummary {
    const hasCkpt = r.checkpoint_epoch !== null && existsSync(this.checkpointPath(r.id));
    return {
      id: r.id,
      modelKind: r.model_kind,
      settings: JSON.parse(r.settings_json) as TrainingSettings,
      status: r.status,
      backend: r.backend,
      message: r.message,
      bestEpoch: r.best_epoch,
      bestValMae: r.best_val_mae,
      epochs: r.epochs,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      checkpointEpoch: hasCkpt ? r.checkpoint_epoch : null,
      resumable: hasCkpt && (r.status === 'running' || r.status === 'cancelled'),
      dataSummary: r.data_json ? (JSON.parse(r.data_json) as { train: number; val: number }) : null,
      models: this.models(r.id),
    };
  }

  list(): RunSummary[] {
    const rows = this.db
      .prepare(
        `SELECT r.*, (SELECT COUNT(*) FROM epoch_metrics e WHERE e.run_id = r.id) AS epochs
         FROM training_runs r WHERE r.project_id = ? ORDER BY r.id DESC`,
      )
      .all(this.project.projectId) as RunRow[];
    return rows.map((r) => this.summary(r));
  }

  get(runId: number): RunDetail {
    const r = this.row(runId);
    return { run: this.summary(r), metrics: this.metrics(runId), evaluation: r.evaluation_json ? (JSON.parse(r.evaluation_json) as Evaluation) : null };
  }

  // ── Models and predictions ────────────────────────────────────────────────────────────────────────
  /** Write home/models/<id>.fsmodel atomically and list it; replaces the run's earlier model of this role. */
  async saveModel(m: { runId: number; role: 'best' | 'final'; bytes: Uint8Array; valMae: number | null; metrics: Record<string, unknown> }): Promise<{ modelId: number; name: string; path: string }> {
    const run = this.row(m.runId);
    if (m.bytes.length < 12 || Buffer.from(m.bytes.subarray(0, 8)).toString('latin1') !== 'FSMODEL1') {
      throw new ApiError('bad_input', 'Not a Form Studio model file (FSMODEL1)');
    }
    // What scoring needs to know (frames, exercise head) comes from the file itself, not from the caller.
    let spec: ModelSpec;
    try {
      spec = unpackFile(m.bytes).manifest.spec;
    } catch (err) {
      throw new ApiError('bad_input', `Unreadable model file: ${(err as Error).message}`);
    }
    const metrics = { ...m.metrics, numFrames: spec.numFrames, hasExerciseHead: !!spec.heads.exercise, modelKind: spec.kind, data: this.trainedOn(run, spec.numFrames) };
    const kindLabel = run.model_kind === 'high-accuracy' ? 'high-accuracy' : run.model_kind;
    const name = `run ${run.id} · ${kindLabel} · val MAE ${m.valMae === null ? '—' : m.valMae.toFixed(1)}${m.role === 'final' ? ' · final epoch' : ''}`;
    const old = this.db.prepare('SELECT id, file_path FROM models WHERE run_id = ? AND role = ?').all(m.runId, m.role) as Array<{ id: number; file_path: string }>;
    const id = Number(
      this.db
        .prepare('INSERT INTO models (project_id, run_id, name, kind, role, file_path, size_bytes, val_mae, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(this.project.projectId, m.runId, name, run.model_kind, m.role, '', m.bytes.length, m.valMae, JSON.stringify(metrics)).lastInsertRowid,
    );
    const path = join(this.modelsDir, `${id}.fsmodel`);
    try {
      await writeFileAtomic(path, m.bytes);
    } catch (err) {
      this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
      throw err;
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE models SET file_path = ? WHERE id = ?').run(path, id);
      for (const o of old) this.db.prepare('DELETE FROM models WHERE id = ?').run(o.id);
    })();
    for (const o of old) if (o.file_path) await unlink(o.file_path).catch(() => undefined);
    return { modelId: id, name, path };
  }

  /** What a run's model was trained on: its split sizes and the labeled clips per exercise (the query training used). */
  private trainedOn(run: RunRow, numFrames: number): Record<string, unknown> {
    const settings = JSON.parse(run.settings_json) as TrainingSettings;
    const items = this.trainingData(numFrames, (settings.variant ?? 'full') as PoseModelVariant, false).items;
    const perExercise: Record<string, number> = {};
    for (const it of items) perExercise[it.exercise] = (perExercise[it.exercise] ?? 0) + 1;
    return { ...(run.data_json ? (JSON.parse(run.data_json) as object) : {}), perExercise, variant: settings.variant ?? 'full' };
  }

  savePredictions(modelId: number, items: Array<{ videoId: number; score: number; exerciseType: ExerciseType | null; confidence: number | null }>): number {
    const model = this.db.prepare('SELECT id FROM models WHERE id = ? AND project_id = ?').get(modelId, this.project.projectId);
    if (!model) throw new ApiError('not_found', `Model ${modelId} does not exist`);
    return this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM videos WHERE id = ? AND project_id = ?');
      const up = this.db.prepare(
        `INSERT INTO predictions (video_id, model_id, score, exercise_type, confidence) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(video_id, model_id) DO UPDATE SET score = excluded.score, exercise_type = excluded.exercise_type,
           confidence = excluded.confidence, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      );
      let n = 0;
      for (const it of items) {
        if (!exists.get(it.videoId, this.project.projectId)) throw new ApiError('not_found', `Video ${it.videoId} is not in this project`);
        up.run(it.videoId, modelId, it.score, it.exerciseType, it.confidence);
        n++;
      }
      return n;
    })();
  }

  /** Remove a run's checkpoint files (tests, cleanup). */
  async dropCheckpoint(runId: number): Promise<void> {
    await rm(this.checkpointPath(runId), { force: true });
  }
}
