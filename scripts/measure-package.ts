/**
 * What the desktop installer would ship, measured without an Electron binary (none can be downloaded here):
 * electron-builder packs the built app (`npm run build` first) against a stand-in Electron folder, with the real
 * electron-builder.yml except what needs the real binary (fuses, native rebuild). Prints the sizes of app.asar,
 * its unpacked part and the generated assets as JSON, and fails when a module the Electron main bundle requires is
 * not in the package (so the `files` exclusions can never drop something the app loads).
 *
 *   npx tsx scripts/measure-package.ts
 */
import { build, Platform } from 'electron-builder';
import { listPackage } from '@electron/asar';
import yaml from 'js-yaml';
import { builtinModules } from 'node:module';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const mainBundles = ['dist/main/electron.cjs', 'dist/main/preload.cjs'].map((f) => join(root, f));
if (!mainBundles.every(existsSync)) throw new Error('Run `npm run build` first: dist/main is missing.');

function dirSize(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, f) => n + dirSize(join(p, f)), 0);
}

/** Package names the bundles require at run time (Node built-ins and Electron itself aside). */
function requiredPackages(): string[] {
  const builtins = new Set([...builtinModules, 'electron']);
  const names = new Set<string>();
  for (const f of mainBundles)
    for (const m of readFileSync(f, 'utf8').matchAll(/require\("([^"./][^"]*)"\)/g)) {
      const spec = m[1].replace(/^node:/, '');
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!builtins.has(name) && !builtins.has(spec)) names.add(name);
    }
  // Resolved by a computed name (src-main/media/ffmpeg-find.ts), so not visible as a require("…") string.
  names.add(`@ffmpeg-installer/${process.platform}-${process.arch}`);
  return [...names].sort();
}

const work = mkdtempSync(join(tmpdir(), 'form-studio-package-'));
try {
  const electronDist = join(work, 'electron');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  config.electronFuses = null; // flipping fuses needs the real binary (null: the file on disk is merged in too)
  Object.assign(config, {
    directories: { ...(config.directories as object), output: join(work, 'out') },
    electronDist,
    electronVersion,
    npmRebuild: false,
    linux: { target: 'dir' },
  });
  await build({ projectDir: root, targets: Platform.LINUX.createTarget('dir'), config });

  const resources = join(work, 'out', 'linux-unpacked', 'resources');
  const asar = join(resources, 'app.asar');
  const packed = new Set(listPackage(asar, { isPack: false }).map((p) => p.replace(/\\/g, '/')));
  const unpacked = join(resources, 'app.asar.unpacked');
  const has = (name: string): boolean =>
    packed.has(`/node_modules/${name}/package.json`) ||
    existsSync(join(unpacked, 'node_modules', name, 'package.json'));
  const required = requiredPackages();
  const missing = required.filter((n) => !has(n));

  const bytes = {
    appAsar: statSync(asar).size,
    unpacked: existsSync(unpacked) ? dirSize(unpacked) : 0,
    generated: dirSize(join(resources, 'generated')),
  };
  const mb = (n: number): number => Math.round(n / 1e5) / 10;
  console.log(
    JSON.stringify(
      {
        appAsarMB: mb(bytes.appAsar),
        unpackedMB: mb(bytes.unpacked),
        generatedMB: mb(bytes.generated),
        totalMB: mb(bytes.appAsar + bytes.unpacked + bytes.generated),
        required,
        missing,
      },
      null,
      1,
    ),
  );
  if (missing.length) {
    console.error(`The package lacks modules the main bundle requires: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
