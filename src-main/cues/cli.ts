/**
 * `form-studio cues …`: the rule cue table, and training a learned cue model from a labelled landmark CSV.
 *
 *   form-studio cues rules [--exercise squat]
 *   form-studio cues train <file.csv> --exercise plank --labels "C,H=Hips too high,L=Hips too low" --output plank-cues.json
 *          [--label-column label] [--map "LShoulder=left_shoulder,RShoulder=right_shoulder"] [--aspect 1.778]
 *          [--min-rows 30] [--epochs 40] [--force]
 *
 * `--labels`: every label of the file, comma-separated; `label=cue text` for a form error, a bare label for the
 * correct form (no cue). The CSV is only read. The model file is written (atomically) only after training
 * finished; bad data, a cancelled or failed run writes nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, numberFlag, parseArgs } from '../cli/args';
import { writeFileAtomic } from '../fs-safe';
import { initTfNode } from '../models/tf-node';
import { isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import {
  CUE_RULES,
  LandmarkCsvError,
  LearnedCueError,
  MEASURES,
  parseLandmarkCsv,
  trainLearnedCues,
} from '../../src-shared/cues';

export const CUES_USAGE = `Usage:
  form-studio cues rules [--exercise E]            The rule cue table
  form-studio cues train <file.csv> --exercise E --labels "C,H=Hips too high,L=Hips too low" --output model.json
        [--label-column label] [--map "Prefix=landmark_name,…"] [--aspect W/H] [--min-rows 30] [--epochs 40] [--force]`;

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

export async function cuesCommand(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const [sub, ...more] = argv;
  const args = parseArgs(more, {
    booleans: ['force'],
    values: ['exercise', 'labels', 'output', 'label-column', 'map', 'aspect', 'min-rows', 'epochs', 'home'],
  });
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
  if (!file || !exercise || !args.flags.labels || !output) throw new CliError(CUES_USAGE);
  const input = resolve(file),
    out = resolve(output);
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
    const m = model.metrics;
    log(
      `trained on ${m.trainRows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s (${backend}); held out ${m.testRows} rows (whole runs of same-label rows)`,
    );
    log(
      `accuracy ${(m.accuracy * 100).toFixed(1)} %   recall ${model.labels.map((l, i) => `${l} ${(m.recall[i]! * 100).toFixed(1)} %`).join(', ')}`,
    );
    log(`confusion (rows = true, columns = predicted): ${model.labels.join(' ')}`);
    model.labels.forEach((l, i) =>
      log(`  ${l.padEnd(8)} ${m.confusion[i]!.map((n) => String(n).padStart(5)).join('')}`),
    );
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
