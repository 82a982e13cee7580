/** API calls of the datasets feature: the catalog and downloads (resumable, verified) that import into the project. */
import { z } from 'zod';
import { call } from './call';

export type DatasetStatus = 'not_downloaded' | 'partial' | 'downloaded' | 'verified' | 'extracted';

export interface DatasetSummary {
  id: 'ucf101' | 'coco';
  name: string;
  description: string;
  license: string;
  homepage: string;
  downloadBytes: number;
  diskNeededBytes: number;
  status: DatasetStatus;
  /** Bytes already on disk (complete + partial files). */
  bytesOnDisk: number;
  extracted: { at: string; records: number } | null;
}

export const datasetsContract = {
  'datasets.list': call<DatasetSummary[]>()(z.object({}).strict()),
  'datasets.download': call<{ jobId: string }>()(z.object({ id: z.enum(['ucf101', 'coco']) }).strict()),
} as const;
