/** The Electron fuses are set at packaging (electron-builder's electronFuses): read electron-builder.yml itself. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `electronFuses:` mapping of the YAML file (a flat block of `key: true|false`, comments allowed). */
function fuses(): Record<string, boolean> {
  const lines = readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^electronFuses:\s*(#.*)?$/.test(l));
  expect(start, 'electron-builder.yml has a top-level electronFuses block').toBeGreaterThanOrEqual(0);
  const out: Record<string, boolean> = {};
  for (const line of lines.slice(start + 1)) {
    if (!/^\s+\S/.test(line)) break; // end of the indented block
    const m = /^\s+([A-Za-z]+):\s*(true|false)\s*(#.*)?$/.exec(line);
    if (!m) throw new Error(`unexpected line in electronFuses: ${line}`);
    out[m[1]] = m[2] === 'true';
  }
  return out;
}

describe('electron-builder.yml', () => {
  it('flips every hardening fuse', () => {
    expect(fuses()).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('packs the app into an asar (required by the asar fuses)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8')).toMatch(
      /^asar: true$/m,
    );
  });
});
