/** A checkpoint crosses the API in base64 parts of at most CHECKPOINT_PART_BYTES, and comes back in parts. */
import { CHECKPOINT_PART_BYTES } from '../api/training-contract';
import { base64ToBytes, bytesToBase64 } from './base64';
import type { ApiInput, ApiName, ApiOutput } from '../api/contract';

/** The one thing the transfer needs from the run: a typed API call. */
interface Caller {
  invoke: <K extends ApiName>(name: K, input: ApiInput<K>) => Promise<ApiOutput<K>>;
}

export async function uploadCheckpoint(deps: Caller, runId: number, epoch: number, bytes: Uint8Array): Promise<void> {
  const parts = Math.max(1, Math.ceil(bytes.length / CHECKPOINT_PART_BYTES));
  for (let part = 0; part < parts; part++) {
    const chunk = bytes.subarray(part * CHECKPOINT_PART_BYTES, (part + 1) * CHECKPOINT_PART_BYTES);
    await deps.invoke('runs.checkpoint', { runId, epoch, part, parts, bytesBase64: bytesToBase64(chunk) });
  }
}

export async function downloadCheckpoint(deps: Caller, runId: number, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (;;) {
    const r = await deps.invoke('runs.readCheckpoint', { runId, offset });
    const b = base64ToBytes(r.bytesBase64);
    out.set(b, offset);
    offset += b.length;
    if (r.done || b.length === 0) break;
  }
  if (offset !== size) throw new Error(`checkpoint of run ${runId}: read ${offset} of ${size} bytes`);
  return out;
}
