/**
 * `cues.previewCsv` / `cues.trainLearned`: a labelled landmark CSV (a path, only read, or the text the app's file
 * picker sent) → what it holds, or a trained learned cue model with its held-out accuracy and confusion matrix.
 * Training runs here in main with tfjs (WASM, else CPU); the model is returned only when training finished, so
 * the caller saves nothing for bad data or a failed run.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { initTfNode } from '../models/tf-node';
import { ApiError } from '../../src-shared/api/errors';
import { LandmarkCsvError, parseLandmarkCsv, type LandmarkCsv } from '../../src-shared/cues/landmark-csv';
import {
  LearnedCueError,
  checkLearnedCueData,
  trainLearnedCues,
  type LearnedCueSpec,
} from '../../src-shared/cues/train-learned';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { LandmarkCsvPreview, StoredLearnedCueModel } from '../../src-shared/api/cues-contract';

export interface CsvInput {
  path?: string;
  text?: string;
  name?: string;
  labelColumn?: string;
  mapping?: Record<string, string>;
}

export interface TrainInput extends CsvInput {
  exercise: ExerciseType;
  /** What the model checks, when the exercise has several; absent = the unnamed model (`name` is the CSV's). */
  modelName?: string;
  labels: Record<string, string | null>;
  aspect?: number;
  minRowsPerClass?: number;
  epochs?: number;
}

/** Bad data → bad_input with every problem as an issue (the panel lists them). */
function badData(e: LandmarkCsvError | LearnedCueError, what: string): ApiError {
  return new ApiError(
    'bad_input',
    `${what}: nothing trained or saved: ${e.problems.join('; ')}`,
    e.problems.map((message) => ({ path: 'csv', message })),
  );
}

async function readCsv(input: CsvInput): Promise<{ csv: LandmarkCsv; name: string }> {
  let text = input.text;
  const name = input.name ?? (input.path ? basename(input.path) : 'landmarks.csv');
  if (input.path) {
    text = await readFile(resolve(input.path), 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new ApiError('bad_input', `Cannot read ${input.path}: ${e.code ?? e.message}`);
    });
  }
  try {
    return { csv: parseLandmarkCsv(text ?? '', { labelColumn: input.labelColumn, mapping: input.mapping }), name };
  } catch (e) {
    if (e instanceof LandmarkCsvError) throw badData(e, name);
    throw e;
  }
}

export async function previewLandmarkCsv(input: CsvInput): Promise<LandmarkCsvPreview> {
  const { csv } = await readCsv(input);
  return { rows: csv.rows.length, landmarks: csv.landmarks, labelCounts: csv.labelCounts };
}

/** The CSV read and the spec checked: every problem as one bad_input, before any training starts. */
async function prepareTraining(input: TrainInput): Promise<{ csv: LandmarkCsv; name: string; spec: LearnedCueSpec }> {
  const { csv, name } = await readCsv(input);
  // '' from a form field = the correct form (no cue), like null
  const labels = Object.fromEntries(Object.entries(input.labels).map(([l, t]) => [l, t?.trim() ? t.trim() : null]));
  // a model the app runs must be able to say something (the trainer alone also fits stage classifiers: bench/cues.ts)
  const spec: LearnedCueSpec = {
    exercise: input.exercise,
    name: input.modelName,
    labels,
    aspect: input.aspect,
    minRowsPerClass: input.minRowsPerClass,
    epochs: input.epochs,
  };
  const problems = checkLearnedCueData(csv, spec);
  if (Object.keys(labels).length && Object.values(labels).every((t) => !t))
    problems.push('no label has a cue text: give the form errors theirs (e.g. H=Hips too high)');
  if (problems.length) throw badData(new LearnedCueError(problems), name);
  return { csv, name, spec };
}

export interface TrainControl {
  signal?: AbortSignal;
  onEpoch?: (epoch: number, epochs: number) => void;
}

/**
 * Checks the input (bad data throws before `started` is called), then trains. A cancelled or failed run throws:
 * the caller saves only what this returns.
 */
export async function trainLearnedCueModel(
  input: TrainInput,
  control: TrainControl = {},
): Promise<StoredLearnedCueModel> {
  return (await startLearnedCueTraining(input)).run(control);
}

/** Two steps for a job: check now (bad_input at once, no job started), train later with progress and a signal. */
export async function startLearnedCueTraining(
  input: TrainInput,
): Promise<{ run: (control: TrainControl) => Promise<StoredLearnedCueModel> }> {
  const { csv, name, spec } = await prepareTraining(input);
  return {
    run: async (control) => {
      await initTfNode();
      try {
        const model = await trainLearnedCues(csv, { ...spec, ...control });
        return { ...model, trainedAt: new Date().toISOString(), sourceName: name };
      } catch (e) {
        if (e instanceof LearnedCueError) throw badData(e, name);
        throw e;
      }
    },
  };
}
