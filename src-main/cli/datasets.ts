/** `form-studio datasets list | download ucf101|coco | import <folder>`, with progress in the terminal. */
import { resolve } from 'node:path';
import type { Services } from '../services';
import { CliError } from './args';
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

export async function datasetsCommand(services: Services, sub: string | undefined, positionals: string[], split?: string): Promise<number> {
  if (sub === 'list') {
    for (const d of await services.invoke('datasets.list', {})) {
      console.log(`${d.id.padEnd(8)} ${d.name}`);
      console.log(`         ${d.status}${d.bytesOnDisk ? ` (${formatBytes(d.bytesOnDisk)} on disk)` : ''} · download ${formatBytes(d.downloadBytes)} · disk needed ${formatBytes(d.diskNeededBytes)}`);
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
    if (!folder) throw new CliError('Usage: form-studio datasets import <folder> [--split train|test]');
    if (split !== undefined && split !== 'train' && split !== 'test') throw new CliError('--split is train or test');
    const job = await followJob(services, (await services.invoke('videos.import', { paths: [resolve(folder)], split: split as 'train' | 'test' | undefined })).jobId);
    console.log(job.state === 'done' ? job.message : `Failed: ${job.message}`);
    for (const r of services.store.listRows().filter((r) => r.status === 'error')) console.log(`  ✗ ${r.relPath}: ${r.errorMessage}`);
    return job.state === 'done' ? 0 : 1;
  }
  throw new CliError('Usage: form-studio datasets list | download ucf101|coco | import <folder>');
}
