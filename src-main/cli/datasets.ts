/** `form-studio datasets list | download ucf101|coco | import <folder>`, with progress in the terminal. */
import { resolve } from 'node:path';
import type { Services } from '../services';
import { CliError } from './args';
import { previewAndApply } from './labels';
import { formatBytes } from '../datasets/progress-text';
import type { JobInfo } from '../../src-shared/domain/jobs';

async function followJob(services: Services, jobId: string): Promise<JobInfo> {
  const tty = process.stdout.isTTY;
  let last = '';
  for (;;) {
    const job = services.jobs.list().find((j) => j.id === jobId);
    if (job) {
      const line = `${job.progress != null ? `${Math.round(job.progress * 100)}% ` : ''}${job.message ?? ''}`;
      if (line !== last) {
        if (tty) process.stdout.write(`\r\x1b[K${line.slice(0, (process.stdout.columns ?? 100) - 1)}`);
        else console.log(line);
        last = line;
      }
      if (job.state !== 'running') {
        if (tty) process.stdout.write('\n');
        return job;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface DatasetsFlags {
  split?: string;
  /** Apply the toolkit's exercise_scores.csv found in an imported folder (after printing its preview). */
  labels: boolean;
  allowUnknown: boolean;
}

/** The toolkit's label file(s) in what was just imported: preview each, then apply it. */
async function importFolderLabels(services: Services, folder: string, allowUnknown: boolean): Promise<number> {
  let code = 0;
  for (const found of await services.invoke('labels.folderCsv', { paths: [folder] })) {
    console.log(`Labels from ${found.path}:`);
    const rc = await previewAndApply(services, found.csv, found.path, {
      dryRun: false,
      allowUnknown,
      csvDir: found.dataRoot,
    });
    code = Math.max(code, rc);
  }
  return code;
}

export async function datasetsCommand(
  services: Services,
  sub: string | undefined,
  positionals: string[],
  flags: DatasetsFlags,
): Promise<number> {
  const { split } = flags;
  if (sub === 'list') {
    for (const d of await services.invoke('datasets.list', {})) {
      console.log(`${d.id.padEnd(8)} ${d.name}`);
      console.log(
        `         ${d.status}${d.bytesOnDisk ? ` (${formatBytes(d.bytesOnDisk)} on disk)` : ''} · download ${formatBytes(d.downloadBytes)} · disk needed ${formatBytes(d.diskNeededBytes)}`,
      );
      console.log(`         ${d.description}`);
      console.log(`         License: ${d.license}`);
    }
    return 0;
  }
  if (sub === 'download') {
    const id = positionals[0];
    if (id !== 'ucf101' && id !== 'coco') throw new CliError('Usage: form-studio datasets download ucf101|coco');
    const job = await followJob(services, (await services.invoke('datasets.download', { id })).jobId);
    console.log(job.state === 'done' ? job.message : `Failed: ${job.message}`);
    return job.state === 'done' ? 0 : 1;
  }
  if (sub === 'import') {
    const folder = positionals[0];
    if (!folder)
      throw new CliError(
        'Usage: form-studio datasets import <folder> [--split train|test] [--no-labels] [--allow-unknown]',
      );
    if (split !== undefined && split !== 'train' && split !== 'test') throw new CliError('--split is train or test');
    const job = await followJob(
      services,
      (
        await services.invoke('videos.import', {
          paths: [resolve(folder)],
          split: split as 'train' | 'test' | undefined,
        })
      ).jobId,
    );
    console.log(job.state === 'done' ? job.message : `Failed: ${job.message}`);
    for (const r of services.store.listRows().filter((r) => r.status === 'error'))
      console.log(`  ✗ ${r.relPath}: ${r.errorMessage}`);
    if (job.state !== 'done') return 1;
    return flags.labels ? importFolderLabels(services, resolve(folder), flags.allowUnknown) : 0;
  }
  throw new CliError('Usage: form-studio datasets list | download ucf101|coco | import <folder>');
}
