/**
 * Training checkpoints on disk: home/models/checkpoints/<runId>.ckpt. A checkpoint arrives in parts of
 * CHECKPOINT_PART_BYTES (the renderer's worker sends it over the API); parts append to `<runId>.ckpt.partial`
 * and the last one fsyncs it and renames it over the previous checkpoint, so a crash leaves a whole checkpoint.
 * Reading hands it back in parts the same size.
 */
import { mkdirSync, existsSync, statSync, rmSync, openSync, readSync, closeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { CHECKPOINT_PART_BYTES } from '../../src-shared/api/training-contract';

export interface CheckpointPart {
  runId: number;
  epoch: number;
  part: number;
  parts: number;
  bytes: Uint8Array;
}

export class CheckpointFiles {
  /** Parts received so far per run (a checkpoint in transit). */
  private readonly pending = new Map<number, { epoch: number; next: number; parts: number }>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(runId: number): string {
    return join(this.dir, `${runId}.ckpt`);
  }

  exists(runId: number): boolean {
    return existsSync(this.path(runId));
  }

  size(runId: number): number {
    return statSync(this.path(runId)).size;
  }

  /** Write one part; true when it was the last (the checkpoint is then in place). Parts must come in order. */
  async receive(p: CheckpointPart): Promise<boolean> {
    const partial = `${this.path(p.runId)}.partial`;
    const st = this.pending.get(p.runId);
    if (p.part === 0) this.pending.set(p.runId, { epoch: p.epoch, next: 0, parts: p.parts });
    else if (!st || st.epoch !== p.epoch || st.next !== p.part || st.parts !== p.parts) {
      throw new ApiError(
        'bad_input',
        `Checkpoint part ${p.part + 1}/${p.parts} of run ${p.runId} arrived out of order; send it again from part 1`,
      );
    }
    if (p.part < p.parts - 1 && p.bytes.length !== CHECKPOINT_PART_BYTES) {
      throw new ApiError('bad_input', `Checkpoint parts other than the last must be ${CHECKPOINT_PART_BYTES} bytes`);
    }
    const fh = await open(partial, p.part === 0 ? 'w' : 'a');
    try {
      await fh.write(p.bytes);
      if (p.part === p.parts - 1) await fh.sync();
    } finally {
      await fh.close();
    }
    const cur = this.pending.get(p.runId)!;
    cur.next = p.part + 1;
    if (p.part < p.parts - 1) return false;
    this.pending.delete(p.runId);
    await rename(partial, this.path(p.runId));
    return true;
  }

  /** The part of the checkpoint starting at `offset`; `done` when it reaches the end. */
  read(runId: number, offset: number): { bytes: Buffer; done: boolean } {
    const file = this.path(runId);
    if (!existsSync(file)) throw new ApiError('not_found', `Run ${runId} has no checkpoint`);
    const size = statSync(file).size;
    if (offset > size)
      throw new ApiError('bad_input', `offset ${offset} is past the end of the checkpoint (${size} bytes)`);
    const len = Math.min(CHECKPOINT_PART_BYTES, size - offset);
    const buf = Buffer.alloc(len);
    const fd = openSync(file, 'r');
    try {
      let got = 0;
      while (got < len) {
        const n = readSync(fd, buf, got, len - got, offset + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    return { bytes: buf, done: offset + len >= size };
  }

  /** Delete the checkpoint and any part-written one. */
  removeFiles(runId: number): void {
    rmSync(this.path(runId), { force: true });
    rmSync(`${this.path(runId)}.partial`, { force: true });
  }

  /** Forget a checkpoint in transit (the run ended). */
  forgetPending(runId: number): void {
    this.pending.delete(runId);
  }

  async drop(runId: number): Promise<void> {
    await rm(this.path(runId), { force: true });
  }
}
