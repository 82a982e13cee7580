/**
 * Training runs in the project database (training_runs, epoch_metrics): create, record epochs, finish, list,
 * resume. The run's files and the rest of its data are beside it: checkpoints (checkpoint-files.ts), saved
 * models and predictions (run-models.ts), the training data query (training-data.ts); this store is their one
 * entry point (`ctx.runs`) and checks the run's state before each.
 */
import { join } from 'node:path';
import type { Db } from '../store/database';
import type { ProjectStore } from '../store/project-store';
import { ApiError } from '../../src-shared/api/errors';
import type {
  EpochRecord,
  Evaluation,
  ResumeInfo,
  RunDetail,
  RunModel,
  RunStatus,
  RunSummary,
  TrainingData,
  TrainingSettings,
} from '../../src-shared/api/training-contract';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import { CheckpointFiles, type CheckpointPart } from './checkpoint-files';
import { saveRunModel, savePredictions, type ModelToSave, type PredictionToSave } from './run-models';
import { readTrainingData } from './training-data';

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
export class RunStore {
  readonly checkpoints: CheckpointFiles;

  constructor(
    private readonly db: Db,
    private readonly project: ProjectStore,
    readonly modelsDir: string,
  ) {
    this.checkpoints = new CheckpointFiles(join(modelsDir, 'checkpoints'));
  }

  trainingData(numFrames: number, variant: PoseModelVariant, withOthers: boolean): TrainingData {
    return readTrainingData(this.db, this.project.projectId, numFrames, variant, withOthers);
  }

  // ── Runs ──────────────────────────────────────────────────────────────────────────────────────────
  create(settings: TrainingSettings, backend: string, dataSummary: { train: number; val: number }): number {
    const info = this.db
      .prepare(
        `INSERT INTO training_runs (project_id, model_kind, settings_json, status, backend, data_json) VALUES (?, ?, ?, 'running', ?, ?)`,
      )
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
        .prepare(
          'INSERT INTO epoch_metrics (run_id, epoch, metrics_json) VALUES (?, ?, ?) ON CONFLICT(run_id, epoch) DO UPDATE SET metrics_json = excluded.metrics_json',
        )
        .run(runId, m.epoch, JSON.stringify(m));
      // A resumed run may re-send epochs after its checkpoint: drop any later ones left from before the crash.
      this.db.prepare('DELETE FROM epoch_metrics WHERE run_id = ? AND epoch > ?').run(runId, m.epoch);
      if (m.improved) {
        this.db
          .prepare('UPDATE training_runs SET best_epoch = ?, best_val_mae = ? WHERE id = ?')
          .run(m.epoch, m.valMae ?? m.mae, runId);
      }
    })();
  }

  /** Receive one part; the last part fsyncs the file and renames it over the previous checkpoint. */
  async checkpointPart(p: CheckpointPart): Promise<boolean> {
    this.requireRunning(p.runId);
    if (!(await this.checkpoints.receive(p))) return false;
    this.db.prepare('UPDATE training_runs SET checkpoint_epoch = ? WHERE id = ?').run(p.epoch, p.runId);
    return true;
  }

  readCheckpoint(runId: number, offset: number): { bytes: Buffer; done: boolean } {
    this.row(runId);
    return this.checkpoints.read(runId, offset);
  }

  resumeInfo(runId?: number): ResumeInfo | null {
    let id = runId;
    if (id === undefined) {
      const r = this.db
        .prepare(
          `SELECT id FROM training_runs WHERE project_id = ? AND status IN ('running','cancelled') AND checkpoint_epoch IS NOT NULL ORDER BY id DESC`,
        )
        .all(this.project.projectId) as Array<{ id: number }>;
      id = r.find((x) => this.checkpoints.exists(x.id))?.id;
      if (id === undefined) return null;
    }
    const run = this.summary(this.row(id));
    if (!run.resumable || run.checkpointEpoch === null) return null;
    return {
      run,
      epoch: run.checkpointEpoch,
      sizeBytes: this.checkpoints.size(id),
      history: this.metrics(id).filter((m) => m.epoch <= run.checkpointEpoch!),
    };
  }

  /** Reopen a stopped run to continue it from its checkpoint. */
  reopen(runId: number): void {
    const r = this.row(runId);
    if (r.status !== 'running' && r.status !== 'cancelled')
      throw new ApiError('conflict', `Run ${runId} has ${r.status}; only a stopped or interrupted run can be resumed`);
    this.db.prepare(`UPDATE training_runs SET status = 'running', finished_at = NULL WHERE id = ?`).run(runId);
  }

  finish(
    runId: number,
    f: {
      status: Exclude<RunStatus, 'running'>;
      message: string;
      bestEpoch: number | null;
      bestValMae: number | null;
      evaluation?: Evaluation | null;
    },
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
      this.checkpoints.removeFiles(runId);
      this.db.prepare('UPDATE training_runs SET checkpoint_epoch = NULL WHERE id = ?').run(runId);
    }
    this.checkpoints.forgetPending(runId);
    return this.get(runId).run;
  }

  metrics(runId: number): EpochRecord[] {
    return (
      this.db.prepare('SELECT metrics_json FROM epoch_metrics WHERE run_id = ? ORDER BY epoch').all(runId) as Array<{
        metrics_json: string;
      }>
    ).map((r) => JSON.parse(r.metrics_json) as EpochRecord);
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
    const hasCkpt = r.checkpoint_epoch !== null && this.checkpoints.exists(r.id);
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
    return {
      run: this.summary(r),
      metrics: this.metrics(runId),
      evaluation: r.evaluation_json ? (JSON.parse(r.evaluation_json) as Evaluation) : null,
    };
  }

  // ── Models and predictions ────────────────────────────────────────────────────────────────────────
  /** Write home/models/<id>.fsmodel atomically and list it; replaces the run's earlier model of this role. */
  async saveModel(m: ModelToSave): Promise<{ modelId: number; name: string; path: string }> {
    const deps = {
      db: this.db,
      projectId: this.project.projectId,
      modelsDir: this.modelsDir,
      trainingItems: (numFrames: number, variant: PoseModelVariant) =>
        this.trainingData(numFrames, variant, false).items,
    };
    return saveRunModel(deps, this.row(m.runId), m);
  }

  savePredictions(modelId: number, items: PredictionToSave[]): number {
    return savePredictions(this.db, this.project.projectId, modelId, items);
  }

  /** Remove a run's checkpoint files (tests, cleanup). */
  async dropCheckpoint(runId: number): Promise<void> {
    await this.checkpoints.drop(runId);
  }
}
