/**
 * `form-studio evaluate [--split test] [--model ID|PATH] [--json] [--csv] [--seed N]`: the toolkit's test_model.py
 * over every labeled video of a split — per-video table, totals with baselines and intervals, confusion matrix.
 * The same evaluation as the app's Training and Models views (src-shared/evaluation via main's evaluate-model).
 */
import { resolve } from 'node:path';
import { parseArgs, numberFlag, CliError } from './args';
import type { Services } from '../services';
import { loadModelFile } from '../models/model-registry';
import { evaluateLoadedModel } from '../evaluation/evaluate-model';
import { formatEvaluation, evaluationCsv, type EvalSplit } from '../../src-shared/evaluation';

export const EVALUATE_USAGE = `form-studio evaluate [options]
  --split test|val|train   Which videos (default test; val = the model's validation clips)
  --model ID|PATH          A project model id or a .fsmodel/.tflite file (default: the newest best model)
  --json                   The whole report as JSON
  --csv                    One row per video, then the totals, as CSV
  --seed N                 Bootstrap seed (default 1)
  --home DIR               Project home`;

export async function evaluateCommand(argv: string[], open: (home: string | undefined) => Services): Promise<number> {
  const args = parseArgs(argv, { booleans: ['json', 'csv', 'help'], values: ['split', 'model', 'seed', 'home'] });
  if (args.flags.help) {
    console.log(EVALUATE_USAGE);
    return 0;
  }
  const split = (args.flags.split ?? 'test') as string;
  if (!['train', 'val', 'test'].includes(split)) throw new CliError('--split is test, val or train');
  if (args.flags.json && args.flags.csv) throw new CliError('Choose one of --json and --csv');
  const seed = numberFlag(
    args,
    'seed',
    1,
    (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31,
    'a non-negative integer',
  );
  const s = open(args.flags.home as string | undefined);
  try {
    const registry = s.models;
    const spec = args.flags.model as string | undefined;
    const model = spec
      ? /^\d+$/.test(spec)
        ? await registry.load(Number(spec))
        : await loadModelFile(resolve(spec))
      : await registry.load(registry.latestId());
    const report = await evaluateLoadedModel(s.ctx, model, split as EvalSplit, { seed });
    if (args.flags.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (args.flags.csv) process.stdout.write(evaluationCsv(report));
    else console.log(formatEvaluation(report));
    return 0;
  } finally {
    s.close();
  }
}
