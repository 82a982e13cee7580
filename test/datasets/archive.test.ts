import { readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRar, extractZip, listRar, listZip, safeEntryPath } from '../../src-main/datasets/archive.js';
import { DatasetError } from '../../src-main/datasets/errors.js';
import { FIXTURES, tmpDir } from '../media/helpers.js';
import { makeZip } from './zip-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tmpDir('arch');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('safeEntryPath', () => {
  it('refuses traversal, absolute paths, drive letters and UNC', () => {
    const root = '/data/out';
    for (const bad of [
      '../evil.txt',
      'a/../../evil.txt',
      '/abs.txt',
      'C:/win.txt',
      'c:evil',
      '\\\\server\\share\\x',
      '..\\evil.txt',
      'a\0b',
      '',
    ])
      expect(safeEntryPath(root, bad).ok).toBe(false);
    expect(safeEntryPath(root, './a/b.txt')).toEqual({ ok: true, rel: 'a/b.txt', abs: '/data/out/a/b.txt' });
    expect(safeEntryPath(root, 'a\\b.txt')).toMatchObject({ ok: true, rel: 'a/b.txt' });
  });
});

describe('hostile zip', () => {
  it('refuses and reports ../, absolute, drive-letter and symlink entries and writes only the safe ones', async () => {
    const zip = path.join(dir, 'hostile.zip');
    await makeZip(zip, [
      { name: 'good/ok.txt' },
      { name: 'xx/evil.txt', rawName: '../evil.txt' },
      { name: 'x/xx/xx/evil2.txt', rawName: 'a/../../evil2.txt' },
      { name: 'Xabs.txt', rawName: '/abs.txt' },
      { name: 'XX/win.txt', rawName: 'C:/win.txt' },
      { name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
    ]);
    const names = (await listZip(zip)).map((e) => e.name);
    expect(names).toEqual(['good/ok.txt', '../evil.txt', 'a/../../evil2.txt', '/abs.txt', 'C:/win.txt', 'link']);
    const out = path.join(dir, 'out');
    const r = await extractZip(zip, out);
    expect(r.written).toEqual(['good/ok.txt']);
    expect(r.refused).toEqual([
      { name: '../evil.txt', reason: 'parent directory (..) in path' },
      { name: 'a/../../evil2.txt', reason: 'parent directory (..) in path' },
      { name: '/abs.txt', reason: 'absolute path' },
      { name: 'C:/win.txt', reason: 'drive letter' },
      { name: 'link', reason: 'symbolic link' },
    ]);
    expect(await readFile(path.join(out, 'good/ok.txt'), 'utf8')).toBe('content of good/ok.txt\n');
    expect(await exists(path.join(dir, 'evil.txt'))).toBe(false);
    expect(await exists(path.join(dir, 'evil2.txt'))).toBe(false);
    expect(await readdir(out)).toEqual(['good']);
  });
  it('reports a truncated zip as corrupt', async () => {
    const zip = path.join(dir, 'ok.zip');
    await makeZip(zip, [{ name: 'a.txt', data: Buffer.alloc(10000, 1) }]);
    const trunc = path.join(dir, 'trunc.zip');
    await import('node:fs/promises').then(async (fs) =>
      fs.writeFile(trunc, (await fs.readFile(zip)).subarray(0, 5000)),
    );
    await expect(listZip(trunc)).rejects.toBeInstanceOf(DatasetError);
  });
});

describe('RAR (node-unrar-js) on a real archive', () => {
  const rar = path.join(FIXTURES, 'archives/FolderTest.rar');
  it('lists nested entries with non-ASCII names', async () => {
    const files = (await listRar(rar)).filter((e) => !e.isDirectory).map((e) => [e.name, e.size]);
    expect(files).toEqual([
      ['Folder1/Folder Space/long.txt', 1049076],
      ['Folder1/Folder 中文/2中文.txt', 15],
    ]);
  });
  it('extracts only the selected entry, to the mapped path', async () => {
    const out = path.join(dir, 'rar');
    const r = await extractRar(rar, out, {
      select: (e) => (e.name.endsWith('.txt') && e.name.includes('中文') ? `picked/${e.name.split('/').pop()}` : null),
    });
    expect(r).toEqual({ written: ['picked/2中文.txt'], refused: [], skipped: 1 });
    expect((await readFile(path.join(out, 'picked/2中文.txt'), 'utf8')).replace(/^\uFEFF/, '')).toBe('中文中文');
    expect(await readdir(out)).toEqual(['picked']);
  });
  it('maps encrypted headers without a password to a typed error', async () => {
    await expect(listRar(path.join(FIXTURES, 'archives/HeaderEnc1234.rar'))).rejects.toMatchObject({
      code: 'corrupt_archive',
      message: expect.stringContaining('PASSWORD'),
    });
  });
});
