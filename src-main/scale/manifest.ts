/**
 * The keypoint manifest: a JSONL file naming the videos a sharded extraction covers. Line 1 is a header (which
 * project, pose model, frame count and sampling the keypoints are for; the root that video paths are relative
 * to), then one line per video (path, content hash, bytes). Shards, summaries and the import all carry the
 * manifest's sha256, so results from different manifests never mix.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { Services } from '../services';
import { hashFile } from '../media/hash';
import { scanForVideos } from '../media/scan';
import { SAMPLING_ID } from '../store/project-store';
import { POSE_MODEL_VARIANTS, type PoseModelVariant } from '../../src-shared/keypoints/format';

export const MANIFEST_KIND = 'form-studio-keypoint-manifest';

const Header = z
  .object({
    kind: z.literal(MANIFEST_KIND),
    version: z.literal(1),
    project: z.object({ key: z.string().min(1), name: z.string() }).nullable(),
    variant: z.enum(POSE_MODEL_VARIANTS),
    numFrames: z.number().int().min(2).max(10_000),
    sampling: z.string().min(1),
    root: z.string().min(1),
    videos: z.number().int().min(0),
    createdAt: z.string(),
  })
  .strict();

const Entry = z
  .object({
    path: z.string().min(1),
    contentHash: z.string().regex(/^sha256s?:[0-9a-f]{64}$/),
    bytes: z.number().int().min(0),
  })
  .strict();

export type ManifestHeader = z.infer<typeof Header>;
export type ManifestEntry = z.infer<typeof Entry> & { line: number };
export interface Manifest {
  header: ManifestHeader;
  entries: ManifestEntry[];
  /** sha256 of the manifest file's bytes: the identity every shard carries. */
  sha256: string;
}

export class ManifestError extends Error {}

/** The project's stable key (a UUID kept in its settings): project ids are 1 in every home, so they cannot tell homes apart. */
export function projectKey(services: Services): string {
  const known = services.store.getSetting('scale.projectKey');
  if (typeof known === 'string' && known) return known;
  const key = randomUUID();
  services.store.setSetting('scale.projectKey', key);
  return key;
}

function serialize(header: ManifestHeader, entries: Array<z.infer<typeof Entry>>): string {
  return [header, ...entries].map((o) => JSON.stringify(o)).join('\n') + '\n';
}

function header(
  project: ManifestHeader['project'],
  variant: PoseModelVariant,
  numFrames: number,
  root: string,
  videos: number,
): ManifestHeader {
  return {
    kind: MANIFEST_KIND,
    version: 1,
    project,
    variant,
    numFrames,
    sampling: SAMPLING_ID,
    root,
    videos,
    createdAt: new Date().toISOString(),
  };
}

const relOrAbs = (root: string, file: string) => {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
};

/** Manifest of a project's videos (its own read-only copies), for one pose model and frame count. */
export function projectManifest(
  services: Services,
  opts: { variant?: PoseModelVariant; numFrames: number },
): { text: string; skipped: string[] } {
  const rows = services.store.listRows().filter((r) => r.status === 'ok' && r.contentHash);
  const skipped = services.store
    .listRows()
    .filter((r) => !(r.status === 'ok' && r.contentHash))
    .map((r) => `${r.relPath}: not readable in the project (${r.errorMessage ?? r.status})`);
  const root = services.store.mediaRoot;
  const entries = rows.map((r) => {
    const file = services.ctx.videoFile(r.id);
    return { path: relOrAbs(root, file), contentHash: r.contentHash!, bytes: r.sizeBytes ?? 0 };
  });
  const project = { key: projectKey(services), name: services.store.summary().name };
  const variant = (opts.variant ?? services.store.poseVariant()) as PoseModelVariant;
  return { text: serialize(header(project, variant, opts.numFrames, root, entries.length), entries), skipped };
}

/** Manifest of the videos under a folder (read only; hashed here). Same content twice is listed once. */
export async function folderManifest(
  folder: string,
  opts: { variant: PoseModelVariant; numFrames: number },
): Promise<{ text: string; skipped: string[] }> {
  const root = resolve(folder);
  const scan = await scanForVideos([root]);
  const skipped = scan.skipped.map((s) => `${s.path}: ${s.reason}`);
  const seen = new Map<string, string>();
  const entries: Array<z.infer<typeof Entry>> = [];
  for (const v of [...scan.videos].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))) {
    const h = await hashFile(v.absPath);
    const first = seen.get(h.hash);
    if (first) {
      skipped.push(`${v.relPath}: same content as ${first} (listed once)`);
      continue;
    }
    seen.set(h.hash, v.relPath);
    entries.push({ path: relOrAbs(root, v.absPath), contentHash: h.hash, bytes: h.size });
  }
  return { text: serialize(header(null, opts.variant, opts.numFrames, root, entries.length), entries), skipped };
}

/** Read and check a manifest: every problem is named by line; duplicates (path or content) are errors. */
export function readManifest(file: string): Manifest {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new ManifestError(`Cannot read the manifest ${file}`);
  }
  const lines = bytes.toString('utf8').split('\n');
  const parse = (i: number) => {
    try {
      return JSON.parse(lines[i]) as unknown;
    } catch {
      throw new ManifestError(`${file}:${i + 1}: not JSON`);
    }
  };
  if (!lines[0]?.trim()) throw new ManifestError(`${file}: empty; write one with \`form-studio keypoints manifest\``);
  const h = Header.safeParse(parse(0));
  if (!h.success)
    throw new ManifestError(
      `${file}:1: not a Form Studio keypoint manifest header (${h.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')})`,
    );
  const entries: ManifestEntry[] = [];
  const byPath = new Map<string, number>();
  const byHash = new Map<string, number>();
  const problems: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const e = Entry.safeParse(parse(i));
    if (!e.success) {
      problems.push(
        `${file}:${i + 1}: ${e.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`,
      );
      continue;
    }
    const prevPath = byPath.get(e.data.path);
    const prevHash = byHash.get(e.data.contentHash);
    if (prevPath) problems.push(`${file}:${i + 1}: duplicate video ${e.data.path} (also line ${prevPath})`);
    else if (prevHash)
      problems.push(`${file}:${i + 1}: duplicate video: ${e.data.path} has the same content as line ${prevHash}`);
    byPath.set(e.data.path, i + 1);
    byHash.set(e.data.contentHash, i + 1);
    entries.push({ ...e.data, line: i + 1 });
  }
  if (entries.length !== h.data.videos && problems.length === 0)
    problems.push(`${file}: the header says ${h.data.videos} videos, the file lists ${entries.length} (cut short?)`);
  if (problems.length)
    throw new ManifestError(
      problems.slice(0, 20).join('\n') + (problems.length > 20 ? `\n… and ${problems.length - 20} more` : ''),
    );
  return { header: h.data, entries, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Shard I of N: every N-th video from I (round robin, so shards stay even whatever the order). */
export function shardEntries(m: Manifest, index: number, count: number): ManifestEntry[] {
  return m.entries.filter((_, k) => k % count === index);
}

export function parseShardFlag(
  flag: string | undefined,
  envIndex: string | undefined,
): { index: number; count: number } {
  const m = /^(\d+)?\/(\d+)$/.exec(flag ?? '');
  if (!m) throw new ManifestError('--shard is I/N (0-based I), or /N with I from JOB_COMPLETION_INDEX');
  const count = Number(m[2]);
  const raw = m[1] ?? envIndex;
  if (raw === undefined || !/^\d+$/.test(raw))
    throw new ManifestError('--shard /N needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)');
  const index = Number(raw);
  if (count < 1 || index >= count) throw new ManifestError(`--shard ${index}/${count}: I must be 0…${count - 1}`);
  return { index, count };
}
