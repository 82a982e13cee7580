/**
 * Limits on what extracting one archive may write (archive bombs: a 522 KB zip once wrote 512 MB): a total,
 * a ratio to the archive's own size, and the free space of the target folder, all checked from each entry's
 * declared size *before* it is written (yauzl's validateEntrySizes makes a ZIP entry that lies about its
 * size fail as it is read).
 */
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError } from './errors.js';

export interface ArchiveLimits {
  /** Most bytes one extraction may write (default 64 GB). */
  maxTotalBytes?: number;
  /** Most written bytes per archive byte (default 100), checked once past `ratioFloorBytes`. */
  maxRatio?: number;
  /** Below this total the ratio is not checked (default 16 MiB): tiny text archives compress well. */
  ratioFloorBytes?: number;
  /** Free bytes in a folder (default fs.statfs). */
  freeSpace?: (dir: string) => Promise<number>;
  /** Bytes that must stay free (default 64 MiB). */
  spaceMargin?: number;
}

const GB = 1e9;

export class ExtractBudget {
  private used = 0;

  private constructor(
    private readonly archive: string,
    private readonly archiveBytes: number,
    private readonly free: number,
    private readonly limits: Required<Omit<ArchiveLimits, 'freeSpace'>>,
  ) {}

  static async create(archive: string, root: string, limits: ArchiveLimits = {}): Promise<ExtractBudget> {
    const archiveBytes = (await stat(archive)).size;
    const free = await (
      limits.freeSpace ??
      (async (d: string) => {
        const s = await statfs(d);
        return Number(s.bavail) * Number(s.bsize);
      })
    )(root);
    return new ExtractBudget(archive, Math.max(1, archiveBytes), free, {
      maxTotalBytes: limits.maxTotalBytes ?? 64 * GB,
      maxRatio: limits.maxRatio ?? 100,
      ratioFloorBytes: limits.ratioFloorBytes ?? 16 * 1024 * 1024,
      spaceMargin: limits.spaceMargin ?? 64 * 1024 * 1024,
    });
  }

  /** Account for an entry about to be written; throws (stopping the extraction) when it would break a limit. */
  admit(name: string, size: number): void {
    const next = this.used + Math.max(0, size);
    const base = path.basename(this.archive);
    const l = this.limits;
    if (next > l.maxTotalBytes)
      throw new DatasetError(
        'unsafe_archive',
        `${base} would unpack to more than ${(l.maxTotalBytes / GB).toFixed(1)} GB (at ${name}); stopped.`,
        { name, next },
      );
    if (next > l.ratioFloorBytes && next / this.archiveBytes > l.maxRatio)
      throw new DatasetError(
        'unsafe_archive',
        `${base} unpacks to over ${l.maxRatio}× its size (at ${name}): refusing a likely archive bomb.`,
        { name, next },
      );
    if (next + l.spaceMargin > this.free)
      throw new DatasetError(
        'disk_full',
        `Not enough disk space to extract ${base}: ${(next / GB).toFixed(2)} GB needed, ${(this.free / GB).toFixed(2)} GB free.`,
        { name, next },
      );
    this.used = next;
  }
}
