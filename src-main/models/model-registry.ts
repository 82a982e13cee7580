/**
 * The project's models: rows of the `models` table and their files. Trained models are `.fsmodel`
 * files (src-shared/model/serialize.ts); imported ones are `.tflite`. Loaded models are kept warm.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Db } from '../store/database';
import type { ProjectStore } from '../store/project-store';
import type { ModelInfo, ModelFormat } from '../../src-shared/api/models-contract';
import { ApiError } from '../../src-shared/api/errors';
import { ScoringModel, unpackModel } from '../../src-shared/model';
import type { KerasImportOptions } from '../../src-shared/keras';
import type { ExerciseClasses } from '../../src-shared/scoring/clip-score';
import { importKerasBytes, isKerasFile } from './keras-file';
import { initTfNode } from './tf-node';
import { loadTflite, checkScoringSignature, type LoadedTflite } from './tflite-runtime';

interface ModelRow {
  id: number;
  run_id: number | null;
  name: string;
  kind: string;
  role: string;
  file_path: string;
  size_bytes: number | null;
  val_mae: number | null;
  metrics_json: string;
  created_at: string;
}

export type LoadedModel =
  | {
      format: 'fsmodel';
      info: ModelInfo;
      model: ScoringModel;
      /** Class names of the exercise head when not the app's 14. */ exerciseLabels?: string[];
    }
  | {
      format: 'tflite';
      info: ModelInfo;
      model: LoadedTflite;
      numFrames: number;
      probsOutput: string | null;
      scoreOutput: string;
      scoreScale: number;
      /** Class names and the trained-classes mask (from the import choices and the file's "form_studio" metadata). */
      classes: ExerciseClasses;
    };

function formatOf(path: string): ModelFormat {
  return path.toLowerCase().endsWith('.tflite') ? 'tflite' : 'fsmodel';
}

export function toModelInfo(r: ModelRow): ModelInfo {
  const metrics = JSON.parse(r.metrics_json || '{}') as Record<string, unknown>;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    format: formatOf(r.file_path),
    role: r.role,
    runId: r.run_id,
    createdAt: r.created_at,
    sizeBytes: r.size_bytes,
    valMae: r.val_mae,
    numFrames: typeof metrics.numFrames === 'number' ? metrics.numFrames : null,
    hasExerciseHead: metrics.hasExerciseHead === true,
    metrics,
  };
}

export class ModelRegistry {
  private readonly cache = new Map<number, Promise<LoadedModel>>();

  constructor(private readonly services: { db: Db; store: ProjectStore }) {}

  list(): ModelInfo[] {
    const rows = this.services.db
      .prepare('SELECT * FROM models WHERE project_id = ? ORDER BY created_at DESC, id DESC')
      .all(this.services.store.projectId) as ModelRow[];
    return rows.map(toModelInfo);
  }

  row(id: number): ModelRow {
    const r = this.services.db
      .prepare('SELECT * FROM models WHERE project_id = ? AND id = ?')
      .get(this.services.store.projectId, id) as ModelRow | undefined;
    if (!r) throw new ApiError('not_found', `Model ${id} is not in this project`);
    return r;
  }

  /** The newest best model, for "score with the latest model". */
  latestId(): number {
    const r = this.services.db
      .prepare(
        `SELECT id FROM models WHERE project_id = ? ORDER BY (role = 'best') DESC, created_at DESC, id DESC LIMIT 1`,
      )
      .get(this.services.store.projectId) as { id: number } | undefined;
    if (!r) throw new ApiError('not_found', 'No model yet: train one in Training (or import a .tflite in Models).');
    return r.id;
  }

  insert(m: {
    runId: number | null;
    name: string;
    kind: string;
    role: string;
    filePath: string;
    sizeBytes: number;
    valMae: number | null;
    metrics: Record<string, unknown>;
  }): ModelInfo {
    const info = this.services.db
      .prepare(
        `INSERT INTO models (project_id, run_id, name, kind, role, file_path, size_bytes, val_mae, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.services.store.projectId,
        m.runId,
        m.name,
        m.kind,
        m.role,
        m.filePath,
        m.sizeBytes,
        m.valMae,
        JSON.stringify(m.metrics),
      );
    return toModelInfo(this.row(Number(info.lastInsertRowid)));
  }

  rename(id: number, name: string): ModelInfo {
    this.row(id);
    this.services.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(name, id);
    return toModelInfo(this.row(id));
  }

  delete(id: number): void {
    this.row(id);
    this.services.db.prepare('DELETE FROM models WHERE id = ?').run(id);
    void this.evict(id);
  }

  async evict(id: number): Promise<void> {
    const p = this.cache.get(id);
    this.cache.delete(id);
    const m = await p?.catch(() => null);
    m?.model.dispose();
  }

  async fileBytes(id: number): Promise<Uint8Array> {
    const r = this.row(id);
    try {
      return new Uint8Array(await readFile(r.file_path));
    } catch {
      throw new ApiError('not_found', `The file of model "${r.name}" is missing: ${r.file_path}`);
    }
  }

  load(id: number): Promise<LoadedModel> {
    let p = this.cache.get(id);
    if (!p) {
      p = this.loadUncached(id);
      p.catch(() => this.cache.delete(id));
      this.cache.set(id, p);
      // Keep at most 3 models warm.
      while (this.cache.size > 3) void this.evict(this.cache.keys().next().value as number);
    }
    return p;
  }

  private async loadUncached(id: number): Promise<LoadedModel> {
    const r = this.row(id);
    return loadModelBytes(toModelInfo(r), await this.fileBytes(id));
  }

  close(): void {
    for (const id of [...this.cache.keys()]) void this.evict(id);
  }
}

/**
 * A model file given by path (CLI `--model path`): .fsmodel from this app, a .tflite with the scoring signature,
 * or a Keras .keras / .h5 (converted in memory; `keras` holds the import choices).
 */
export async function loadModelFile(path: string, keras: KerasImportOptions = {}): Promise<LoadedModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new ApiError('not_found', `Model file not found: ${path}`);
  }
  const format = formatOf(path);
  if (isKerasFile(path)) {
    const label = path.split(/[\\/]/).pop() ?? path;
    let saved;
    try {
      saved = (await importKerasBytes(bytes, label, keras)).saved;
    } catch (err) {
      throw new ApiError('bad_input', (err as Error).message);
    }
    await initTfNode();
    const info: ModelInfo = {
      id: 0,
      name: path,
      kind: 'keras',
      format: 'fsmodel',
      role: 'file',
      runId: null,
      createdAt: new Date().toISOString(),
      sizeBytes: bytes.length,
      valMae: null,
      numFrames: saved.spec.numFrames,
      hasExerciseHead: !!saved.spec.heads.exercise,
      metrics: {},
    };
    return { format: 'fsmodel', info, model: ScoringModel.fromSaved(saved), exerciseLabels: labelsOf(saved.metadata) };
  }
  const info: ModelInfo = {
    id: 0,
    name: path,
    kind: format === 'tflite' ? 'tflite' : 'file',
    format,
    role: 'file',
    runId: null,
    createdAt: new Date().toISOString(),
    sizeBytes: bytes.length,
    valMae: null,
    numFrames: null,
    hasExerciseHead: false,
    metrics: {},
  };
  return loadModelBytes(info, bytes);
}

async function loadModelBytes(info: ModelInfo, bytes: Uint8Array): Promise<LoadedModel> {
  if (info.format === 'tflite') {
    // The roles the user chose at import (stored in metrics) decide between look-alike outputs.
    const m = info.metrics;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const sig = checkScoringSignature(bytes, {
      scoreOutput: str(m.scoreOutput),
      probsOutput: str(m.probsOutput),
      scoreScale: typeof m.scoreScale === 'number' ? m.scoreScale : undefined,
    });
    if (!sig.ok) throw new ApiError('bad_input', `Model "${info.name}" cannot score: ${joinErrors(sig.errors)}`);
    const model = await loadTflite(bytes);
    return {
      format: 'tflite',
      info,
      model,
      numFrames: sig.numFrames ?? 24,
      probsOutput: sig.probsOutput ?? null,
      scoreOutput: sig.scoreOutput ?? 'score',
      scoreScale: sig.scoreScale ?? 1,
      classes: tfliteClasses(m, sig.formStudio),
    };
  }
  await initTfNode();
  try {
    const saved = unpackModel(bytes);
    return { format: 'fsmodel', info, model: ScoringModel.fromSaved(saved), exerciseLabels: labelsOf(saved.metadata) };
  } catch (err) {
    throw new ApiError('bad_input', `${info.name} is not a Form Studio model: ${(err as Error).message}`);
  }
}

/** Signature errors as one sentence list (each error may end in a period of its own: no doubled period). */
export function joinErrors(errors: string[]): string {
  return errors.map((e) => e.replace(/\.+$/, '')).join('; ');
}

/**
 * The exercise classes of a .tflite: the names the user gave at import, else those in its "form_studio" metadata;
 * the mask from the metadata's `trainedExercises` (exported by this app). A file without it is not masked.
 */
export function tfliteClasses(
  metrics: Record<string, unknown>,
  formStudio: Record<string, unknown> | undefined,
): ExerciseClasses {
  const strings = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const labels = strings(metrics.exerciseLabels) ?? strings(formStudio?.exerciseLabels);
  return { ...(labels ? { labels } : {}), trained: strings(formStudio?.trainedExercises) ?? null };
}

function labelsOf(metadata: Record<string, unknown> | undefined): string[] | undefined {
  const l = metadata?.exerciseLabels;
  return Array.isArray(l) && l.every((x) => typeof x === 'string') ? (l as string[]) : undefined;
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
