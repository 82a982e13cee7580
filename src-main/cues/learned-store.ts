/**
 * The project's learned cue models: `cue-models/<exercise>.json` (an exercise's unnamed model) and
 * `cue-models/<exercise>.<name>.json` (named ones: several per exercise, each checking its own thing), in the
 * project's data folder, each written atomically (temp file, fsync, rename): a crash leaves the old model or the new one, never half of
 * one. Training happens before anything is written, so a refused or failed run leaves the old model in place.
 * A damaged file is reported with its path, never skipped silently nor replaced.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../fs-safe';
import { isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import { LEARNED_MODEL_NAME, checkLearnedCueModel } from '../../src-shared/cues/learned';
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';

export const LEARNED_CUES_DIR = 'cue-models';

export class LearnedCueStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnedCueStoreError';
  }
}

function fileOf(home: string, exercise: ExerciseType, name?: string): string {
  return join(home, LEARNED_CUES_DIR, name ? `${exercise}.${name}.json` : `${exercise}.json`);
}

/** 'plank.json' → plank, unnamed; 'plank.hips.json' → plank, 'hips'; anything else (temp files…) → null. */
function parseFileName(f: string): { exercise: ExerciseType; name?: string } | null {
  if (!f.endsWith('.json')) return null; // temp files of an interrupted write are not models
  const [exercise, name, ...rest] = basename(f, '.json').split('.');
  if (rest.length || !isExerciseType(exercise)) return null;
  if (name === undefined) return { exercise };
  return LEARNED_MODEL_NAME.test(name) ? { exercise, name } : null;
}

async function readModel(path: string, exercise: ExerciseType, name?: string): Promise<StoredLearnedCueModel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new LearnedCueStoreError(`${path} is not valid JSON (${(e as Error).message}); delete it or train again`);
  }
  const problems = checkLearnedCueModel(parsed);
  const m = parsed as StoredLearnedCueModel;
  if (!problems.length && m.exercise !== exercise) problems.push(`it is a ${m.exercise} model`);
  if (!problems.length && m.name !== name)
    problems.push(`its name is ${JSON.stringify(m.name ?? null)}, the file's ${JSON.stringify(name ?? null)}`);
  if (problems.length)
    throw new LearnedCueStoreError(`${path} cannot be used: ${problems.join('; ')}; delete it or train again`);
  return m;
}

/** Every stored model, by exercise (the unnamed one first, then by name); a damaged file is an error naming it. */
export async function loadLearnedCues(home: string): Promise<StoredLearnedCueModel[]> {
  const dir = join(home, LEARNED_CUES_DIR);
  if (!existsSync(dir)) return [];
  const found = (await readdir(dir))
    .map((f) => ({ f, key: parseFileName(f) }))
    .filter((x): x is { f: string; key: NonNullable<ReturnType<typeof parseFileName>> } => x.key !== null)
    .sort((a, b) => a.key.exercise.localeCompare(b.key.exercise) || (a.key.name ?? '').localeCompare(b.key.name ?? ''));
  const out: StoredLearnedCueModel[] = [];
  for (const { f, key } of found) out.push(await readModel(join(dir, f), key.exercise, key.name));
  return out;
}

/** Saves (replaces) the model of that exercise and name; checked first, so a bad one never reaches the disk. */
export async function saveLearnedCue(home: string, model: StoredLearnedCueModel): Promise<void> {
  const problems = checkLearnedCueModel(model);
  if (problems.length) throw new LearnedCueStoreError(`learned cue model not saved: ${problems.join('; ')}`);
  await mkdir(join(home, LEARNED_CUES_DIR), { recursive: true });
  await writeFileAtomic(fileOf(home, model.exercise, model.name), JSON.stringify(model) + '\n');
}

/** Removes the exercise's model of that name (none: the unnamed one); false when there was none. */
export async function deleteLearnedCue(home: string, exercise: ExerciseType, name?: string): Promise<boolean> {
  const path = fileOf(home, exercise, name);
  if (!existsSync(path)) return false;
  await unlink(path);
  return true;
}
