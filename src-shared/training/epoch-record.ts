import { EpochRecordSchema, type EpochRecord } from '../api/training-contract';

/** Epoch metrics as the API takes them (no undefined or non-finite optional fields). */
export function toEpochRecord(m: EpochRecord): EpochRecord {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(EpochRecordSchema.shape) as Array<keyof EpochRecord>) {
    const v = m[k];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    out[k] = v;
  }
  return out as EpochRecord;
}
