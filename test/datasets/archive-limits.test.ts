/** Issue #13: archive bombs are refused before they fill the disk; one bad entry is skipped and reported. Real zips. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { extractZip } from '../../src-main/datasets/archive.js';
import { tmpDir } from '../media/helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await tmpDir('archive-limits');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function zip(out: string, items: Array<{ name: string; data: Buffer }>): Promise<string> {
  const z = new yazl.ZipFile();
  for (const it of items) z.addBuffer(it.data, it.name, { compress: true });
  z.end();
  await new Promise<void>((resolve, reject) =>
    z.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject),
  );
  return out;
}

async function files(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
}

describe('archive limits', () => {
  it('refuses a compression bomb before writing it', async () => {
    const bomb = await zip(path.join(dir, 'bomb.zip'), [{ name: 'zeros.bin', data: Buffer.alloc(48 * 1024 * 1024) }]);
    const out = path.join(dir, 'bomb-out');
    await expect(extractZip(bomb, out)).rejects.toMatchObject({
      code: 'unsafe_archive',
      message: expect.stringContaining('archive bomb'),
    });
    expect(await files(out)).toEqual([]);
  });

  it('stops at the total limit and when the disk would fill', async () => {
    const a = await zip(path.join(dir, 'two.zip'), [
      { name: 'a.txt', data: Buffer.alloc(800, 1) },
      { name: 'b.txt', data: Buffer.alloc(800, 2) },
    ]);
    const out = path.join(dir, 'total-out');
    await expect(extractZip(a, out, { limits: { maxTotalBytes: 1000 } })).rejects.toMatchObject({
      code: 'unsafe_archive',
    });
    expect(await files(out)).toEqual(['a.txt']);
    await expect(
      extractZip(a, path.join(dir, 'full-out'), { limits: { freeSpace: async () => 1000, spaceMargin: 0 } }),
    ).rejects.toMatchObject({ code: 'disk_full' });
  });

  it('skips and reports one bad entry (a 300-character name) and extracts the rest', async () => {
    const long = `${'x'.repeat(300)}.avi`;
    const a = await zip(path.join(dir, 'long.zip'), [
      { name: 'ok1.txt', data: Buffer.from('one') },
      { name: long, data: Buffer.from('long') },
      { name: 'ok2.txt', data: Buffer.from('two') },
    ]);
    const r = await extractZip(a, path.join(dir, 'long-out'));
    expect(r.written.sort()).toEqual(['ok1.txt', 'ok2.txt']);
    expect(r.refused).toHaveLength(1);
    expect(r.refused[0].name).toBe(long);
    expect(r.refused[0].reason).toContain('ENAMETOOLONG');
  });
});
