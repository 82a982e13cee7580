/** Keypoint manifests written by hand for the scale-out tests: the header line and the JSONL file. */
import { writeFileSync } from 'node:fs';
import { MANIFEST_KIND } from '../../src-main/scale/manifest';

export const manifestHeader = (videos: number, root = '/videos') => ({
  kind: MANIFEST_KIND,
  version: 1,
  project: null,
  variant: 'full',
  numFrames: 24,
  sampling: 'uniform-center-v1',
  root,
  videos,
  createdAt: 'now',
});

/** One line per item (objects as JSON, strings as they are, for malformed lines); returns `file`. */
export function writeJsonl(file: string, lines: unknown[]): string {
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}
