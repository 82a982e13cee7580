/**
 * `form-studio` — the command line. Same services as the app: one implementation, two front ends.
 *   form-studio serve [--port N] [--no-open] [--home DIR]
 *   form-studio labels export <csv> | import <csv> [--dry-run] [--allow-unknown]
 *   form-studio info
 *   form-studio train [--epochs N --batch-size N --learning-rate X --patience N --standard-model|--high-accuracy --num-frames N --cpu-only]
 */
import { parseArgs, CliError, numberFlag, numFramesFlag, variantFlag, type ParsedArgs } from './args';
import type { KerasImportOptions } from '../../src-shared/keras';

/** The Keras import choices of `score` / `export` (used only when --model is a .keras/.h5). */
function kerasFlags(args: ParsedArgs): KerasImportOptions {
  const scale = args.flags['score-scale'];
  const names = args.flags['class-names'];
  return {
    ...(scale !== undefined
      ? { scoreScale: numberFlag(args, 'score-scale', 100, (n) => n > 0 && Number.isFinite(n), 'a positive number') }
      : {}),
    ...(typeof names === 'string'
      ? {
          classNames: names
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
        }
      : {}),
    ...(args.flags['reshape-input'] ? { reshapeInput: true } : {}),
  };
}
import { serve } from './serve';
import { trainCommand } from './train';
import { Services } from '../services';
import { resolveHome } from '../paths';
import { ApiError } from '../../src-shared/api/errors';
import { exportCommand, keypointsCommand, modelsCommand, scoreCommand } from './commands';
import { datasetsCommand } from './datasets';
import { labelsCommand } from './labels';
import { EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { evaluateCommand } from './evaluate';
import { cuesCommand } from '../cues/cli';
import { exportDatasetCommand, isScaleKeypoints, scaleKeypointsCommand } from '../scale/cli';

import { toolLines } from './tools';
import { migrationProgressLines } from './migration-progress';
import { USAGE } from './usage';

function openServices(home: string | undefined): Services {
  const services = new Services({
    home: resolveHome({ override: home }),
    mode: 'browser',
    onMigrationProgress: migrationProgressLines(),
  });
  return services;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'serve') {
    const args = parseArgs(rest, { booleans: ['no-open'], values: ['port', 'home'] });
    const port = numberFlag(
      args,
      'port',
      0,
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      'a port number 0–65535',
    );
    await serve({ port, open: !args.flags['no-open'], home: args.flags.home as string | undefined });
    return -1; // keep running
  }
  if (command === 'train') return trainCommand(rest, openServices);
  if (command === 'evaluate') return evaluateCommand(rest, openServices);
  if (command === 'cues') return cuesCommand(rest, console.log, openServices);
  if (command === 'keypoints' && isScaleKeypoints(rest)) return scaleKeypointsCommand(rest, openServices);
  if (command === 'export-dataset') return exportDatasetCommand(rest, openServices);
  if (command === 'info') {
    const args = parseArgs(rest, { booleans: [], values: ['home'] });
    const s = openServices(args.flags.home as string | undefined);
    try {
      const info = await s.invoke('app.info', {});
      const p = await s.invoke('project.get', {});
      console.log(`Project: ${p.name}\nHome: ${info.home}\nDatabase: ${info.dbPath}\nMedia root: ${p.mediaRoot}`);
      console.log(
        `Videos: ${p.counts.videos} (train ${p.counts.train}, test ${p.counts.test}), labeled ${p.counts.labeled}, models ${p.counts.models}`,
      );
      console.log(toolLines().join('\n'));
    } finally {
      s.close();
    }
    return 0;
  }
  if (command === 'labels') return labelsCommand(rest, openServices);
  if (command === 'models' || command === 'keypoints' || command === 'score' || command === 'export') {
    const args = parseArgs(rest, {
      booleans: ['no-cache', 'no-optimize', 'quantize', 'float16', 'test', 'reshape-input', 'json'],
      values: ['home', 'variant', 'num-frames', 'model', 'output', 'score-scale', 'class-names', 'exercise'],
    });
    const s = openServices(args.flags.home as string | undefined);
    try {
      if (command === 'models') return await modelsCommand(s);
      if (command === 'keypoints') {
        return await keypointsCommand(s, {
          variant: variantFlag(args),
          numFrames: numFramesFlag(args),
          noCache: !!args.flags['no-cache'],
        });
      }
      if (command === 'score') {
        const file = args.positionals[0];
        if (!file) throw new CliError('Usage: form-studio score <video> [--model ID|PATH] [--no-cache]');
        const exercise = args.flags.exercise as string | undefined;
        if (exercise && exercise !== 'auto' && !(EXERCISE_TYPES as readonly string[]).includes(exercise))
          throw new CliError(`--exercise is auto or one of: ${EXERCISE_TYPES.join(', ')}`);
        return await scoreCommand(s, file, {
          model: args.flags.model as string | undefined,
          noCache: !!args.flags['no-cache'],
          json: !!args.flags.json,
          exercise: exercise && exercise !== 'auto' ? (exercise as ExerciseType) : undefined,
          keras: kerasFlags(args),
        });
      }
      return await exportCommand(s, {
        model: args.flags.model as string | undefined,
        keras: kerasFlags(args),
        output: args.flags.output as string | undefined,
        optimize: !args.flags['no-optimize'],
        quantize: !!args.flags.quantize,
        float16: !!args.flags.float16,
        test: !!args.flags.test,
      });
    } finally {
      s.close();
    }
  }
  if (command === 'datasets') {
    const [sub, ...more] = rest;
    const args = parseArgs(more, { booleans: ['no-labels', 'allow-unknown'], values: ['home', 'split'] });
    const s = openServices(args.flags.home as string | undefined);
    try {
      return await datasetsCommand(s, sub, args.positionals, {
        split: args.flags.split as string | undefined,
        labels: !args.flags['no-labels'],
        allowUnknown: !!args.flags['allow-unknown'],
      });
    } finally {
      s.close();
    }
  }
  throw new CliError(`Unknown command "${command}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    if (err instanceof CliError) console.error(`form-studio: ${err.message}`);
    else if (err instanceof ApiError) console.error(`form-studio: ${err.message}`);
    else console.error(err);
    process.exitCode = err instanceof CliError ? 2 : 1;
  },
);
