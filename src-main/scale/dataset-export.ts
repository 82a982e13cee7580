/**
 * `form-studio export-dataset --out DIR`: the project's training data as Parquet (one row per video: the model
 * input exactly as the app trains on it, frames × 132 float32, plus score, exercise, split and group key; the
 * train split's videos as 'train' / 'val' by the app's own split, labeled test-split videos as 'test'),
 * and `train_keras.py`, generated from the app's model spec, to train the same model with Keras under Ray
 * Train. With `--model ID` the app model's weights and its predictions on these rows are written too, so
 * the Keras architecture can be checked against the app's numbers.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Field, Float32, Int32, List, Table, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { Services } from '../services';
import { groupKeyOf, toTrainingSamples, trainingDataProblem } from '../../src-shared/training/samples';
import type { TrainingItem } from '../../src-shared/api/training-contract';
import {
  buildModelSpec,
  splitByGroup,
  type ModelKind,
  type ModelSpec,
  type SavedModel,
  type ScoringModel,
} from '../../src-shared/model';
import { loadModelFile } from '../models/model-registry';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { FEATURES_PER_FRAME, type PoseModelVariant } from '../../src-shared/keypoints/format';
import { parquetBytes, writeAtomic } from './shard-parquet';
import { trainKerasPy } from './train-keras-py';
import { TRAIN_DEFAULTS } from '../../src-shared/model/fit/types';

export const DATASET_FORMAT = 'form-studio-dataset';

// The app's training defaults (trainModel's TRAIN_DEFAULTS) that the Keras script reproduces. Its early stopping is a
// strict "better than best", i.e. the app's minDelta 0, so that one is left out; Adam's epsilon is the app's Adam's.
const { minDelta: _strictImprovement, ...trainDefaults } = TRAIN_DEFAULTS;
export const APP_TRAINING = { ...trainDefaults, adamEpsilon: 1e-7 };

export class DatasetExportError extends Error {}

export interface DatasetExport {
  dir: string;
  rows: number;
  train: number;
  val: number;
  test: number;
  spec: ModelSpec;
  files: string[];
}

function float32Lists(xs: Float32Array[]) {
  const offsets = new Int32Array(xs.length + 1);
  xs.forEach((x, i) => (offsets[i + 1] = offsets[i] + x.length));
  const flat = new Float32Array(offsets[xs.length]);
  xs.forEach((x, i) => flat.set(x, offsets[i]));
  const child = makeData({ type: new Float32(), length: flat.length, data: flat });
  return makeVector(
    makeData({
      type: new List(new Field('item', new Float32(), true)),
      length: xs.length,
      nullCount: 0,
      valueOffsets: offsets,
      child,
    }),
  );
}

export async function exportDataset(
  services: Services,
  opts: { out: string; kind?: ModelKind; numFrames?: number; variant?: PoseModelVariant; model?: string },
): Promise<DatasetExport> {
  const dir = resolve(opts.out);
  let saved: SavedModel | null = null;
  let app: ScoringModel | null = null;
  if (opts.model !== undefined) {
    const m = /^\d+$/.test(opts.model)
      ? await services.models.load(Number(opts.model))
      : await loadModelFile(resolve(opts.model));
    if (m.format !== 'fsmodel')
      throw new DatasetExportError(
        `model ${opts.model} is a ${m.format} file: only the app's own models carry a spec and weights to compare`,
      );
    app = m.model;
    saved = app.toSaved();
  }
  const numFrames = saved?.spec.numFrames ?? opts.numFrames ?? 24;
  const data = await services.invoke('training.data', { numFrames, variant: opts.variant, withOthers: true });
  const problem = trainingDataProblem(data);
  if (problem) throw new DatasetExportError(problem);
  // Held-out test videos (labeled, with keypoints) go in too, marked 'test': never trained or validated on.
  const tests: TrainingItem[] = data.others
    .filter((o) => o.split === 'test' && o.score !== null && o.exercise !== null)
    .map((o) => ({ ...o, score: o.score!, exercise: o.exercise!, group: o.group ?? groupKeyOf(o.relPath, null) }));
  const items = [...data.items, ...tests];
  const trainSamples = toTrainingSamples(data.items, numFrames);
  const samples = [...trainSamples, ...toTrainingSamples(tests, numFrames)];
  const spec =
    saved?.spec ?? buildModelSpec(opts.kind ?? 'standard', numFrames, { exerciseHead: data.exerciseTypes.length > 1 });
  // The app's own split (same function, seed and share), so the Keras run validates on the same videos.
  const split = splitByGroup(
    trainSamples.map((s) => s.group),
    APP_TRAINING.valFraction,
    APP_TRAINING.seed,
  );
  const splitOf = new Array<string>(samples.length).fill('train');
  for (const i of split.val) splitOf[i] = 'val';
  splitOf.fill('test', trainSamples.length);
  const table = new Table({
    video_id: vectorFromArray(
      items.map((it) => it.videoId),
      new Int32(),
    ),
    rel_path: vectorFromArray(
      items.map((it) => it.relPath),
      new Utf8(),
    ),
    x: float32Lists(samples.map((s) => s.x)),
    score: vectorFromArray(
      samples.map((s) => s.score),
      new Float32(),
    ),
    exercise: vectorFromArray(
      items.map((it) => it.exercise),
      new Utf8(),
    ),
    exercise_index: vectorFromArray(
      samples.map((s) => s.exercise ?? -1),
      new Int32(),
    ),
    split: vectorFromArray(splitOf, new Utf8()),
    group: vectorFromArray(
      samples.map((s) => s.group),
      new Utf8(),
    ),
  });
  const meta = {
    format: DATASET_FORMAT,
    version: 1,
    numFrames,
    numFeatures: FEATURES_PER_FRAME,
    variant: data.variant,
    exerciseTypes: EXERCISE_TYPES,
    spec,
    training: APP_TRAINING,
    input:
      'modelInput(keypoints, numFrames, aspectRatio) from src-shared/scoring/model-input.ts: normalized, a frame with no person is 132 zeros',
  };
  mkdirSync(dir, { recursive: true });
  const files = ['dataset.parquet', 'train_keras.py'];
  writeAtomic(join(dir, 'dataset.parquet'), parquetBytes(table, meta, 1024));
  writeAtomic(join(dir, 'train_keras.py'), trainKerasPy(spec, APP_TRAINING));
  if (saved) {
    // Weights as float32 in paramSpecs order with an index, and the app's predictions for every row.
    const names = Object.keys(saved.params);
    let offset = 0;
    const index = names.map((name) => {
      const e = { name, shape: saved!.shapes[name], offset, length: saved!.params[name].length };
      offset += e.length;
      return e;
    });
    const all = new Float32Array(offset);
    index.forEach((e) => all.set(saved!.params[e.name], e.offset));
    const pred = app!.predict(samples.map((s) => s.x));
    writeAtomic(join(dir, 'app_weights.bin'), new Uint8Array(all.buffer));
    writeAtomic(join(dir, 'app_weights.json'), JSON.stringify({ spec: saved.spec, params: index }, null, 1));
    writeAtomic(
      join(dir, 'app_predictions.json'),
      JSON.stringify({
        scores: Array.from(pred.scores),
        exerciseProbs: pred.exerciseProbs?.map((p) => Array.from(p)) ?? null,
      }),
    );
    files.push('app_weights.bin', 'app_weights.json', 'app_predictions.json');
  }
  return {
    dir,
    rows: samples.length,
    train: split.train.length,
    val: split.val.length,
    test: tests.length,
    spec,
    files,
  };
}
