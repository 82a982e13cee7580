/**
 * The project's learned cue models: one per exercise, `cue-models/<exercise>.json` in the project's data folder,
 * each written atomically (temp file, fsync, rename): a crash leaves the old model or the new one, never half of
 * one. Training happens before anything is written, so a refused or failed run leaves the old model in place.
 * A damaged file is reported with its path, never skipped silently nor replaced.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../fs-safe';
import { isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import { checkLearnedCueModel } from '../../src-shared/cues/learned';
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';

export const LEARNED_CUES_DIR = 'cue-models';

export class LearnedCueStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnedCueStoreError';
  }
}

function fileOf(home: string, exercise: ExerciseType): string {
  return join(home, LEARNED_CUES_DIR, `${exercise}.json`);
}

async function readModel(path: string, exercise: ExerciseType): Promise<StoredLearnedCueModel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new LearnedCueStoreError(`${path} is not valid JSON (${(e as Error).message}); delete it or train again`);
  }
  const problems = checkLearnedCueModel(parsed);
  const m = parsed as StoredLearnedCueModel;
  if (!problems.length && m.exercise !== exercise) problems.push(`it is a ${m.exercise} model`);
  if (problems.length)
    throw new LearnedCueStoreError(`${path} cannot be used: ${problems.join('; ')}; delete it or train again`);
  return m;
}

/** Every stored model, in exercise order; a damaged file is an error naming it. */
export async function loadLearnedCues(home: string): Promise<StoredLearnedCueModel[]> {
  const dir = join(home, LEARNED_CUES_DIR);
  if (!existsSync(dir)) return [];
  const out: StoredLearnedCueModel[] = [];
  for (const f of (await readdir(dir)).sort()) {
    if (!f.endsWith('.json')) continue; // temp files of an interrupted write are not models
    const exercise = basename(f, '.json');
    if (!isExerciseType(exercise)) continue;
    out.push(await readModel(join(dir, f), exercise));
  }
  return out;
}

/** Saves (replaces) the exercise's model; the model is checked first, so a bad one never reaches the disk. */
export async function saveLearnedCue(home: string, model: StoredLearnedCueModel): Promise<void> {
  const problems = checkLearnedCueModel(model);
  if (problems.length) throw new LearnedCueStoreError(`learned cue model not saved: ${problems.join('; ')}`);
  await mkdir(join(home, LEARNED_CUES_DIR), { recursive: true });
  await writeFileAtomic(fileOf(home, model.exercise), JSON.stringify(model) + '\n');
}

/** Removes the exercise's model; false when there was none. */
export async function deleteLearnedCue(home: string, exercise: ExerciseType): Promise<boolean> {
  const path = fileOf(home, exercise);
  if (!existsSync(path)) return false;
  await unlink(path);
  return true;
}
