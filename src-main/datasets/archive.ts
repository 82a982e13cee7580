/**
 * Archive reading with path safety. Every entry name goes through `safeEntryPath` before anything is written:
 * `../`, absolute paths, drive letters, UNC paths, NUL bytes and symlink entries are refused and reported,
 * never written. Targets are also checked against symlinks already present under the output folder.
 *
 * ZIP: yauzl with lazy entries and decodeStrings:false (we decode and validate names ourselves, so one hostile
 * name is reported instead of aborting the whole archive), streamed entry by entry: no full unzip.
 * RAR: node-unrar-js (WebAssembly, cross-platform, no external tool needed on user machines) — chosen over
 * spawning `unar`/`7z`, which are not installed on Windows/macOS by default. `extract({ files: filter })`
 * streams the archive from disk (fs reads, not loaded into memory) and skips unselected entries. It runs
 * synchronously per entry, so we yield to the event loop between entries and check the AbortSignal there.
 * Note: the RAR reader cannot report symlink entries (its header has no such flag); we only write names that
 * pass the caller's filter and `safeEntryPath`, and files are always created as regular files.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DatasetError } from './errors.js';
import { ExtractBudget, type ArchiveLimits } from './archive-limits.js';

export type SafePath = { ok: true; rel: string; abs: string } | { ok: false; reason: string };

/** Validate an archive entry name against `root` (absolute). Returns the safe absolute target or why not. */
export function safeEntryPath(root: string, name: string): SafePath {
  if (!name || name.includes('\0')) return { ok: false, reason: 'empty name or NUL byte' };
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[a-zA-Z]:/.test(n)) return { ok: false, reason: 'drive letter' };
  if (n.startsWith('//')) return { ok: false, reason: 'UNC path' };
  const segs = n.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..')) return { ok: false, reason: 'parent directory (..) in path' };
  if (segs.length === 0) return { ok: false, reason: 'empty path' };
  const abs = path.resolve(root, ...segs);
  const rootAbs = path.resolve(root);
  if (abs !== rootAbs && !abs.startsWith(rootAbs + path.sep)) return { ok: false, reason: 'escapes the target folder' };
  return { ok: true, rel: segs.join('/'), abs };
}

/** Ensure no existing symlink under root redirects `abs` outside root (creates parent folders). */
export async function ensureInside(root: string, abs: string): Promise<void> {
  await mkdir(path.dirname(abs), { recursive: true });
  const [r, d] = await Promise.all([realpath(root), realpath(path.dirname(abs))]);
  if (d !== r && !d.startsWith(r + path.sep))
    throw new DatasetError(
      'unsafe_archive',
      `Refusing to write ${abs}: a symlink in the target folder points outside it.`,
    );
}

export interface RefusedEntry {
  name: string;
  reason: string;
}

export interface ArchiveEntry {
  /** Name as stored (decoded). */
  name: string;
  size: number;
  isDirectory: boolean;
  isSymlink: boolean;
}

// ---------------------------------------------------------------- ZIP

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true },
      (err, zf) =>
        err || !zf
          ? reject(new DatasetError('corrupt_archive', `Cannot read ZIP ${file}: ${err?.message ?? 'unknown error'}`))
          : resolve(zf),
    ),
  );
}

function entryName(e: yauzl.Entry): string {
  const raw = e.fileName as unknown as Buffer;
  return (e.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1'); // CP437 ≈ latin1 for ASCII names
}

function isZipSymlink(e: yauzl.Entry): boolean {
  return ((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

/** Iterate ZIP entries; `onEntry` may return a stream consumer to read the entry's data. */
async function walkZip(
  file: string,
  onEntry: (entry: ArchiveEntry, open: () => Promise<Readable>) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const zf = await openZip(file);
  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown): void => {
      zf.close();
      reject(e);
    };
    zf.on('error', (e: Error) =>
      fail(new DatasetError('corrupt_archive', `ZIP ${path.basename(file)} is damaged: ${e.message}`)),
    );
    zf.on('end', () => resolve());
    zf.on('entry', (e: yauzl.Entry) => {
      if (signal?.aborted) return fail(new DatasetError('aborted', 'Extraction cancelled.'));
      const name = entryName(e);
      const entry: ArchiveEntry = {
        name,
        size: e.uncompressedSize,
        isDirectory: name.endsWith('/'),
        isSymlink: isZipSymlink(e),
      };
      const open = (): Promise<Readable> =>
        new Promise((res, rej) =>
          zf.openReadStream(e, (err, s) =>
            err || !s
              ? rej(
                  new DatasetError('corrupt_archive', `Cannot read ${name} in ${path.basename(file)}: ${err?.message}`),
                )
              : res(s),
          ),
        );
      onEntry(entry, open).then(() => zf.readEntry(), fail);
    });
    zf.readEntry();
  });
}

export async function listZip(file: string): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  await walkZip(file, async (e) => void out.push(e));
  return out;
}

export interface ExtractOptions {
  /** Which entries to extract, and where (relative path under root); return null to skip. Default: same name. */
  select?: (entry: ArchiveEntry) => string | null;
  signal?: AbortSignal;
  onEntry?: (p: { name: string; done: number }) => void;
  limits?: ArchiveLimits;
}

/** A failure that belongs to one entry (a name too long, a link the reader cannot make): skip it and go on. */
function entryFailure(err: unknown): string | null {
  if (err instanceof DatasetError) return null;
  const code = (err as NodeJS.ErrnoException).code;
  return code && ['ENAMETOOLONG', 'ENOENT', 'EINVAL', 'EILSEQ', 'EEXIST', 'EISDIR', 'ENOTDIR'].includes(code)
    ? `${code}: ${(err as Error).message}`
    : null;
}

export interface ExtractResult {
  /** Relative paths written under root ("/" separators). */
  written: string[];
  refused: RefusedEntry[];
  skipped: number;
}

/** Stream matching ZIP entries to files under root. Each file is written to `.part` then renamed. */
export async function extractZip(file: string, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  const refused: RefusedEntry[] = [];
  let skipped = 0;
  const budget = await ExtractBudget.create(file, root, opts.limits);
  await walkZip(
    file,
    async (e, open) => {
      if (e.isDirectory) return;
      const safe = safeEntryPath(root, e.name);
      if (!safe.ok) return void refused.push({ name: e.name, reason: safe.reason });
      if (e.isSymlink) return void refused.push({ name: e.name, reason: 'symbolic link' });
      const rel = opts.select ? opts.select(e) : safe.rel;
      if (rel === null) return void skipped++;
      const target = safeEntryPath(root, rel);
      if (!target.ok) return void refused.push({ name: e.name, reason: target.reason });
      budget.admit(e.name, e.size);
      const tmp = `${target.abs}.part`;
      try {
        await ensureInside(root, target.abs);
        await pipeline(await open(), createWriteStream(tmp), { signal: opts.signal });
        await rename(tmp, target.abs);
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        if (opts.signal?.aborted) throw new DatasetError('aborted', 'Extraction cancelled.');
        const skip = entryFailure(err);
        if (skip) return void refused.push({ name: e.name, reason: skip });
        throw err instanceof DatasetError
          ? err
          : new DatasetError(
              'corrupt_archive',
              `Cannot extract ${e.name} from ${path.basename(file)}: ${(err as Error).message}`,
            );
      }
      written.push(target.rel);
      opts.onEntry?.({ name: e.name, done: written.length });
    },
    opts.signal,
  );
  return { written, refused, skipped };
}

/** Stream one ZIP entry (first whose name matches) to a consumer. Returns false when no entry matched. */
export async function readZipEntry(
  file: string,
  match: (name: string) => boolean,
  consume: (s: Readable, e: ArchiveEntry) => Promise<void>,
  signal?: AbortSignal,
): Promise<string[]> {
  const seen: string[] = [];
  await walkZip(
    file,
    async (e, open) => {
      if (e.isDirectory || e.isSymlink || !match(e.name)) return;
      seen.push(e.name);
      await consume(await open(), e);
    },
    signal,
  );
  return seen;
}

// ---------------------------------------------------------------- RAR

type UnrarModule = typeof import('node-unrar-js');
let unrarMod: Promise<UnrarModule> | null = null;
// Loaded lazily: the module's Emscripten glue installs process-wide unhandledRejection/uncaughtException handlers.
const loadUnrar = (): Promise<UnrarModule> => (unrarMod ??= import('node-unrar-js'));

function rarError(file: string, e: unknown): DatasetError {
  const reason = (e as { reason?: string }).reason ?? '';
  return new DatasetError(
    'corrupt_archive',
    `Cannot read RAR ${path.basename(file)}: ${reason || (e as Error).message}`,
  );
}

export async function listRar(file: string): Promise<ArchiveEntry[]> {
  const { createExtractorFromFile } = await loadUnrar();
  try {
    const ex = await createExtractorFromFile({ filepath: file });
    const out: ArchiveEntry[] = [];
    for (const h of ex.getFileList().fileHeaders)
      out.push({ name: h.name.replace(/\\/g, '/'), size: h.unpSize, isDirectory: h.flags.directory, isSymlink: false });
    return out;
  } catch (e) {
    throw rarError(file, e);
  }
}

/** Extract matching RAR entries under root (filtered: unselected entries are skipped, not written). */
export async function extractRar(file: string, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const { createExtractorFromFile } = await loadUnrar();
  await mkdir(root, { recursive: true });
  const rootAbs = path.resolve(root);
  const written: string[] = [];
  const refused: RefusedEntry[] = [];
  let skipped = 0;
  const targets = new Map<string, string>(); // entry name → safe relative target
  const budget = await ExtractBudget.create(file, rootAbs, opts.limits);
  try {
    const ex = await createExtractorFromFile({
      filepath: file,
      targetPath: rootAbs,
      // only ever called for entries that passed the filter below; map to the validated target (+ .part)
      filenameTransform: (name) => `${targets.get(name) ?? '__refused__/x'}.part`,
    });
    const filter = (h: { name: string; unpSize: number; flags: { directory: boolean } }): boolean => {
      if (h.flags.directory) return false;
      const name = h.name.replace(/\\/g, '/');
      const safe = safeEntryPath(rootAbs, name);
      if (!safe.ok) return (void refused.push({ name, reason: safe.reason }), false);
      const rel = opts.select ? opts.select({ name, size: 0, isDirectory: false, isSymlink: false }) : safe.rel;
      if (rel === null) return (void skipped++, false);
      const t = safeEntryPath(rootAbs, rel);
      if (!t.ok) return (void refused.push({ name, reason: t.reason }), false);
      budget.admit(name, h.unpSize);
      targets.set(h.name, t.rel);
      return true;
    };
    const it = ex.extract({ files: filter }).files;
    for (;;) {
      if (opts.signal?.aborted) throw new DatasetError('aborted', 'Extraction cancelled.');
      const n = it.next(); // extracts one selected entry (synchronously)
      if (n.done) break;
      const name = n.value.fileHeader.name;
      const rel = targets.get(name);
      if (!rel) continue;
      const abs = path.join(rootAbs, ...rel.split('/'));
      try {
        await ensureInside(rootAbs, abs);
        await rename(`${abs}.part`, abs);
      } catch (err) {
        const skip = entryFailure(err);
        if (!skip) throw err;
        refused.push({ name: name.replace(/\\/g, '/'), reason: skip }); // e.g. a symlink entry: nothing was written
        continue;
      }
      written.push(rel);
      opts.onEntry?.({ name: name.replace(/\\/g, '/'), done: written.length });
      await new Promise((r) => setImmediate(r));
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw rarError(file, e);
  }
  return { written, refused, skipped };
}

export function archiveKind(file: string): 'zip' | 'rar' | null {
  const l = file.toLowerCase();
  return l.endsWith('.zip') ? 'zip' : l.endsWith('.rar') ? 'rar' : null;
}

export async function listArchive(file: string): Promise<ArchiveEntry[]> {
  const k = archiveKind(file);
  if (k === 'zip') return listZip(file);
  if (k === 'rar') return listRar(file);
  throw new DatasetError('corrupt_archive', `Unsupported archive type: ${file}`);
}

export async function extractArchive(file: string, root: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const k = archiveKind(file);
  if (k === 'zip') return extractZip(file, root, opts);
  if (k === 'rar') return extractRar(file, root, opts);
  throw new DatasetError('corrupt_archive', `Unsupported archive type: ${file}`);
}
