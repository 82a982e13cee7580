import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { receiveUpload } from '../../src-main/web-host/upload';

const root = mkdtempSync(join(tmpdir(), 'fs-upload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const body = (data: string) =>
  Object.assign(Readable.from([Buffer.from(data)]), {
    headers: { 'content-length': String(data.length) },
  }) as unknown as IncomingMessage;

describe('drag-and-drop upload into the project', () => {
  it('writes a video under uploads/<batch>/, keeping the dropped folder layout', async () => {
    const r = await receiveUpload(body('video-bytes'), join(root, 'uploads'), 'drop-20261201T000000/clips/train/a.mp4');
    expect(r).toEqual({ folder: join(root, 'uploads', 'drop-20261201T000000'), bytes: 11 });
    expect(readFileSync(join(r.folder, 'clips', 'train', 'a.mp4'), 'utf8')).toBe('video-bytes');
    expect(readdirSync(join(r.folder, 'clips', 'train'))).toEqual(['a.mp4']); // no .part left behind
  });

  it('refuses non-videos, bad batches and paths that leave the upload folder', async () => {
    await expect(
      receiveUpload(body('x'), join(root, 'uploads'), 'drop-20261201T000000/notes.txt'),
    ).rejects.toMatchObject({ code: 'bad_input' });
    await expect(receiveUpload(body('x'), join(root, 'uploads'), '../../etc/x.mp4')).rejects.toMatchObject({
      code: 'bad_input',
    });
    await expect(
      receiveUpload(body('x'), join(root, 'uploads'), 'drop-20261201T000000/../../x.mp4'),
    ).rejects.toMatchObject({ code: 'bad_input' });
    await expect(receiveUpload(body('x'), join(root, 'uploads'), 'drop-20261201T000000')).rejects.toMatchObject({
      code: 'bad_input',
    });
    expect(readdirSync(join(root, 'uploads'))).toEqual(['drop-20261201T000000']);
  });
});
