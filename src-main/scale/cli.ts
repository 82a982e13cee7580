/**
 * The scale-out commands: `keypoints manifest`, `keypoints --manifest … --shard I/N --out DIR`,
 * `keypoints import DIR…` and `export-dataset --out DIR` (see deploy/README.md for running them on
 * Kubernetes or Ray).
 */
import { resolve } from 'node:path';
import { CliError, numFramesFlag, parseArgs, variantFlag } from '../cli/args';
import type { Services } from '../services';
import { ManifestError, folderManifest, parseShardFlag, projectManifest } from './manifest';
import { runShard } from './shard-run';
import { ShardImportError, importShards } from './shard-import';
import { ShardFormatError, writeAtomic } from './shard-parquet';
import { DatasetExportError, exportDataset } from './dataset-export';

/** `export-dataset --out DIR [--high-accuracy] [--num-frames N] [--model ID|FILE.fsmodel]`. */
export async function exportDatasetCommand(rest: string[], openServices: (home?: string) => Services): Promise<number> {
  const args = parseArgs(rest, {
    booleans: ['high-accuracy', 'standard-model'],
    values: ['home', 'out', 'num-frames', 'variant', 'model'],
  });
  if (typeof args.flags.out !== 'string')
    throw new CliError(
      'Usage: form-studio export-dataset --out DIR [--high-accuracy] [--num-frames 24] [--model ID|FILE.fsmodel]',
    );
  const numFrames = numFramesFlag(args);
  const s = openServices(args.flags.home as string | undefined);
  try {
    const r = await exportDataset(s, {
      out: args.flags.out,
      kind: args.flags['high-accuracy'] ? 'high-accuracy' : 'standard',
      numFrames,
      variant: variantFlag(args),
      model: args.flags.model as string | undefined,
    }).catch((err: Error) => {
      throw err instanceof DatasetExportError ? new CliError(err.message) : err;
    });
    console.log(
      `Wrote ${r.dir}: ${r.rows} video(s) (${r.train} train, ${r.val} val, ${r.test} test), ${r.spec.kind} model spec; ${r.files.join(', ')}`,
    );
    console.log(`Train with Keras under Ray Train: python ${r.dir}/train_keras.py --out ${r.dir}/run --num-workers 2`);
    return 0;
  } finally {
    s.close();
  }
}

/** Whether `keypoints <rest>` is one of these (else it is the single-machine `keypoints`). */
export function isScaleKeypoints(rest: string[]): boolean {
  return (
    rest[0] === 'manifest' ||
    rest[0] === 'import' ||
    rest.some((a) => a === '--manifest' || a.startsWith('--manifest='))
  );
}

async function withClearErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ManifestError || err instanceof ShardImportError || err instanceof ShardFormatError)
      throw new CliError(err.message);
    throw err;
  }
}

export async function scaleKeypointsCommand(
  rest: string[],
  openServices: (home?: string) => Services,
): Promise<number> {
  if (rest[0] === 'manifest') {
    const args = parseArgs(rest.slice(1), { booleans: [], values: ['home', 'out', 'folder', 'variant', 'num-frames'] });
    const numFrames = numFramesFlag(args);
    const variant = variantFlag(args);
    const out = resolve((args.flags.out as string | undefined) ?? 'videos.jsonl');
    let made: { text: string; skipped: string[] };
    if (typeof args.flags.folder === 'string')
      made = await folderManifest(args.flags.folder, { variant: variant ?? 'full', numFrames });
    else {
      const s = openServices(args.flags.home as string | undefined);
      try {
        made = projectManifest(s, { variant, numFrames });
      } finally {
        s.close();
      }
    }
    for (const line of made.skipped) console.error(`skipped: ${line}`);
    const videos = made.text.split('\n').filter(Boolean).length - 1;
    if (videos === 0)
      throw new CliError(`No videos to list${made.skipped.length ? ` (${made.skipped.length} skipped, above)` : ''}`);
    writeAtomic(out, made.text);
    console.log(`Wrote ${out}: ${videos} video(s)${made.skipped.length ? `, ${made.skipped.length} skipped` : ''}`);
    return 0;
  }
  if (rest[0] === 'import') {
    const args = parseArgs(rest.slice(1), { booleans: [], values: ['home'] });
    if (!args.positionals.length)
      throw new CliError('Usage: form-studio keypoints import DIR… (folders with shard-*-of-*.parquet/.json)');
    const s = openServices(args.flags.home as string | undefined);
    try {
      const r = await withClearErrors(() => importShards(s, args.positionals));
      console.log(
        `Imported ${r.shards} shard(s): ${r.rows} result(s), ${r.added} added, ${r.unchanged} already there, ${r.conflicts.length} kept as they were (a different result is cached)`,
      );
      for (const c of r.conflicts.slice(0, 20))
        console.log(`  kept the project's result for ${c.contentHash} (${c.numFrames} frames, ${c.variant})`);
      if (r.failed.length) console.log(`${r.failed.length} video(s) failed in their shard and were not imported:`);
      for (const f of r.failed) console.log(`  ${f.path}: ${f.message}`);
      return r.failed.length || r.conflicts.length ? 1 : 0;
    } finally {
      s.close();
    }
  }
  const args = parseArgs(rest, { booleans: [], values: ['manifest', 'shard', 'out', 'videos'] });
  if (typeof args.flags.out !== 'string')
    throw new CliError('--out DIR is needed (where shard-I-of-N.parquet and .json go)');
  const { index, count } = await withClearErrors(async () =>
    parseShardFlag(args.flags.shard as string | undefined, process.env.JOB_COMPLETION_INDEX),
  );
  const tty = process.stderr.isTTY;
  const r = await withClearErrors(() =>
    runShard({
      manifest: resolve(args.flags.manifest as string),
      index,
      count,
      out: args.flags.out as string,
      videosRoot: args.flags.videos as string | undefined,
      log: (l) => console.error(l),
      onProgress: (d, t) => tty && process.stderr.write(`\r${d}/${t}`),
    }),
  );
  if (tty) process.stderr.write('\n');
  const what = `shard ${index}/${count}: ${r.videos} video(s), ${r.ok} ok, ${r.noPose} with no pose, ${r.failed.length} failed`;
  console.log(
    r.reused
      ? `Already done: ${what} (${r.parquet.file})`
      : `Done: ${what} in ${r.seconds.toFixed(1)} s → ${r.parquet.file}`,
  );
  return 0;
}
