/**
 * `form-studio cues …`: the rule cue table, training a learned cue model from a labelled landmark CSV, and the
 * project's cue settings and learned models (cli-settings.ts).
 *
 *   form-studio cues rules [--exercise squat]
 *   form-studio cues train <file.csv> --exercise plank --labels "C,H=Hips too high,L=Hips too low" --output plank-cues.json
 *          [--label-column label] [--map "LShoulder=left_shoulder,RShoulder=right_shoulder"] [--aspect 1.778]
 *          [--min-rows 30] [--epochs 40] [--force]
 *   form-studio cues train … --save [--model NAME] [--home H]   keep the model in the project (the app and `score`
 *          run it); --model names it, so an exercise can have several (each checking its own thing)
 *
 * `--labels`: every label of the file, comma-separated; `label=cue text` for a form error, a bare label for the
 * correct form (no cue). The CSV is only read. The model file is written (atomically) only after training
 * finished; bad data, a cancelled or failed run writes nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, numberFlag, parseArgs, type ParsedArgs } from '../cli/args';
import { ApiError } from '../../src-shared/api/errors';
import { writeFileAtomic } from '../fs-safe';
import { initTfNode } from '../models/tf-node';
import type { Services } from '../services';
import { CUES_SETTINGS_USAGE, cueSettingsCommand } from './cli-settings';
import { isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import {
  CUE_RULES,
  LandmarkCsvError,
  LearnedCueError,
  MEASURES,
  parseLandmarkCsv,
  trainLearnedCues,
  type LearnedCueModel,
} from '../../src-shared/cues';

export const CUES_USAGE = `Usage:
  form-studio cues rules [--exercise E]            The rule cue table
  form-studio cues train <file.csv> --exercise E --labels "C,H=Hips too high,L=Hips too low" --output model.json
        [--label-column label] [--map "Prefix=landmark_name,…"] [--aspect W/H] [--min-rows 30] [--epochs 40] [--force]
  form-studio cues train <file.csv> --exercise E --labels … --save [--model NAME] [--home H]   keep it in the project
        instead (--model NAME: one of several models of the exercise, e.g. hips; replaces only that one)
${CUES_SETTINGS_USAGE}`;

/** "a=x,b" → { a: 'x', b: null }. */
export function parseLabelSpec(raw: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    const label = (eq >= 0 ? part.slice(0, eq) : part).trim();
    const text = eq >= 0 ? part.slice(eq + 1).trim() : '';
    if (!label) throw new CliError(`--labels: empty label in "${raw}"`);
    if (label in out) throw new CliError(`--labels: label '${label}' given twice`);
    out[label] = text || null;
  }
  return out;
}

function parseMapping(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  return Object.fromEntries(
    raw.split(',').map((p) => {
      const [from, to] = p.split('=').map((s) => s.trim());
      if (!from || !to) throw new CliError(`--map: expected Prefix=landmark_name, got "${p}"`);
      return [from, to];
    }),
  );
}

function exerciseFlag(v: string | boolean | undefined): ExerciseType | undefined {
  if (v === undefined) return undefined;
  if (!isExerciseType(v)) throw new CliError(`--exercise: unknown exercise "${String(v)}"`);
  return v;
}

function logMetrics(model: LearnedCueModel, how: string, log: (s: string) => void): void {
  const m = model.metrics;
  log(`trained on ${m.trainRows} rows ${how}; held out ${m.testRows} rows (whole runs of same-label rows)`);
  log(
    `accuracy ${(m.accuracy * 100).toFixed(1)} %   recall ${model.labels.map((l, i) => `${l} ${(m.recall[i]! * 100).toFixed(1)} %`).join(', ')}`,
  );
  log(`confusion (rows = true, columns = predicted): ${model.labels.join(' ')}`);
  model.labels.forEach((l, i) => log(`  ${l.padEnd(8)} ${m.confusion[i]!.map((n) => String(n).padStart(5)).join('')}`));
}

/** `--save`: trained through the `cues.trainLearned` call, kept in the project (replacing the exercise's model). */
async function trainIntoProject(
  s: Services,
  file: string,
  exercise: ExerciseType,
  args: ParsedArgs,
  log: (s: string) => void,
): Promise<number> {
  const t0 = Date.now();
  const model = await s
    .invoke('cues.trainLearned', {
      path: resolve(file),
      exercise,
      modelName: args.flags.model as string | undefined,
      labels: parseLabelSpec(args.flags.labels as string),
      labelColumn: args.flags['label-column'] as string | undefined,
      mapping: parseMapping(args.flags.map as string | undefined),
      aspect: numberFlag(args, 'aspect', 1, (n) => n > 0.1 && n < 10, 'an image width/height ratio, e.g. 1.778'),
      minRowsPerClass: numberFlag(args, 'min-rows', 30, (n) => Number.isInteger(n) && n >= 2, 'an integer ≥ 2'),
      epochs: numberFlag(args, 'epochs', 40, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'an integer 1–1000'),
    })
    .catch((e: unknown) => {
      if (e instanceof ApiError) throw new CliError(`${file}: ${e.message.replace(/^[^:]*: /, '')}`);
      throw e;
    });
  logMetrics(model, `in ${((Date.now() - t0) / 1000).toFixed(1)} s`, log);
  const which = model.name ? `${exercise} learned cue model '${model.name}'` : `${exercise} learned cue model`;
  log(`Saved as the project's ${which} (Score a video, Live and score run it)`);
  return 0;
}

export async function cuesCommand(
  argv: string[],
  log: (s: string) => void = console.log,
  openServices?: (home: string | undefined) => Services,
): Promise<number> {
  const [sub, ...more] = argv;
  const args = parseArgs(more, {
    booleans: ['force', 'save', 'off', 'on', 'reset'],
    values: [
      'exercise',
      'labels',
      'output',
      'label-column',
      'map',
      'aspect',
      'min-rows',
      'epochs',
      'home',
      'threshold',
      'model',
    ],
  });
  const withServices = async (run: (s: Services) => Promise<number>) => {
    if (!openServices) throw new CliError(`cues ${sub} needs a project`);
    const s = openServices(args.flags.home as string | undefined);
    try {
      return await run(s);
    } finally {
      s.close();
    }
  };
  if (sub === 'settings' || sub === 'set' || sub === 'models')
    return withServices((s) => cueSettingsCommand(sub, args, s, log));
  if (sub === 'rules') {
    const ex = exerciseFlag(args.flags.exercise);
    log('id | cue | reads | phase | fires when | view');
    for (const r of CUE_RULES.filter((x) => !ex || x.exercise === ex)) {
      log(
        `${r.id} | ${r.text} | ${MEASURES[r.measure].reads} | ${r.phase} | ${r.when} ${r.threshold} ${MEASURES[r.measure].unit} | ${r.view}`,
      );
    }
    return 0;
  }
  if (sub !== 'train') throw new CliError(CUES_USAGE);
  const file = args.positionals[0];
  const exercise = exerciseFlag(args.flags.exercise);
  const output = args.flags.output as string | undefined;
  if (!file || !exercise || !args.flags.labels || !output === !args.flags.save) throw new CliError(CUES_USAGE);
  if (args.flags.model !== undefined && !args.flags.save) throw new CliError('--model names a model kept with --save');
  if (args.flags.save) return withServices((s) => trainIntoProject(s, file, exercise, args, log));
  const input = resolve(file),
    out = resolve(output!);
  if (out === input) throw new CliError('--output must not be the input CSV (your files are only read)');
  if (existsSync(out) && !args.flags.force) throw new CliError(`${output} exists; pass --force to replace it`);
  const labels = parseLabelSpec(args.flags.labels as string);
  const aspect = numberFlag(args, 'aspect', 1, (n) => n > 0.1 && n < 10, 'an image width/height ratio, e.g. 1.778');
  const minRows = numberFlag(args, 'min-rows', 30, (n) => Number.isInteger(n) && n >= 2, 'an integer ≥ 2');
  const epochs = numberFlag(args, 'epochs', 40, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'an integer 1–1000');
  const text = await readFile(input, 'utf8').catch(() => {
    throw new CliError(`Cannot read ${file}`);
  });
  try {
    const csv = parseLandmarkCsv(text, {
      labelColumn: args.flags['label-column'] as string | undefined,
      mapping: parseMapping(args.flags.map as string | undefined),
    });
    log(
      `${file}: ${csv.rows.length} rows, ${csv.landmarks.length} landmarks, labels ${Object.entries(csv.labelCounts)
        .map(([l, n]) => `${l} ${n}`)
        .join(', ')}`,
    );
    const backend = await initTfNode();
    const t0 = Date.now();
    const model = await trainLearnedCues(csv, { exercise, labels, aspect, minRowsPerClass: minRows, epochs });
    logMetrics(model, `in ${((Date.now() - t0) / 1000).toFixed(1)} s (${backend})`, log);
    await writeFileAtomic(out, JSON.stringify(model) + '\n');
    log(`Wrote ${output}`);
    return 0;
  } catch (e) {
    if (e instanceof LandmarkCsvError || e instanceof LearnedCueError) {
      throw new CliError(`${file}: nothing trained or written:\n  - ${e.problems.join('\n  - ')}`);
    }
    throw e;
  }
}
