/**
 * `form-studio labels export <csv> | import <csv> [--dry-run] [--allow-unknown]`, and the label step of
 * `datasets import` (the toolkit's exercise_scores.csv found in the folder). A file with errors, or with a
 * path that matches no video or several, changes nothing and exits 1 (unless --allow-unknown skips those rows).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Services } from '../services';
import { CliError, parseArgs } from './args';
import { unmatchedLines } from '../store/label-csv';

export interface CsvApplyOptions {
  dryRun: boolean;
  allowUnknown: boolean;
  /** The folder the CSV's paths are relative to (its own folder). */
  csvDir: string;
}

/** Print the preview (counts, errors, unmatched paths, rows matched only by file name), then apply. Returns the exit code. */
export async function previewAndApply(s: Services, csv: string, file: string, opts: CsvApplyOptions): Promise<number> {
  const preview = await s.invoke('labels.previewCsv', { csv, csvDir: opts.csvDir });
  for (const e of preview.errors) console.error(`${file}:${e.line}: ${e.column ? `${e.column}: ` : ''}${e.message}`);
  const c = preview.counts;
  console.log(
    `new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, unknown path ${c.unknown_path}, ambiguous path ${c.ambiguous_path}`,
  );
  for (const ch of preview.changes.filter((x) => x.matchedBy === 'file_name'))
    console.log(`  line ${ch.line}: ${ch.relativePath} matched by file name only → ${ch.videoPath}`);
  const unmatched = unmatchedLines(preview);
  for (const line of unmatched) console.log(`  ${line}`);
  if (preview.errors.length > 0) {
    console.error(`Nothing was applied: fix the ${preview.errors.length} error(s) above.`);
    return 1;
  }
  if (unmatched.length > 0 && !opts.allowUnknown) {
    console.error(
      `Nothing was applied: ${unmatched.length} path(s) match no video or more than one (listed above). Fix them, or pass --allow-unknown to apply the rest.`,
    );
    return 1;
  }
  if (opts.dryRun) return 0;
  const r = await s.invoke('labels.applyCsv', { csv, csvDir: opts.csvDir, allowUnknown: opts.allowUnknown });
  console.log(`Applied ${r.applied} label change(s)${r.skipped ? `; skipped ${r.skipped} unmatched row(s)` : ''}.`);
  return 0;
}

export async function labelsCommand(rest: string[], open: (home: string | undefined) => Services): Promise<number> {
  const [sub, ...more] = rest;
  const args = parseArgs(more, { booleans: ['dry-run', 'allow-unknown'], values: ['home'] });
  const file = args.positionals[0];
  if ((sub !== 'export' && sub !== 'import') || !file)
    throw new CliError('Usage: form-studio labels export <file.csv> | import <file.csv> [--dry-run] [--allow-unknown]');
  const s = open(args.flags.home as string | undefined);
  try {
    if (sub === 'export') {
      const r = await s.invoke('labels.exportCsv', { path: resolve(file) });
      console.log(`Wrote ${r.rows} rows to ${r.path}`);
      return 0;
    }
    const csv = await readFile(resolve(file), 'utf8').catch(() => {
      throw new CliError(`Cannot read ${file}`);
    });
    return await previewAndApply(s, csv, file, {
      dryRun: !!args.flags['dry-run'],
      allowUnknown: !!args.flags['allow-unknown'],
      csvDir: dirname(resolve(file)),
    });
  } finally {
    s.close();
  }
}
