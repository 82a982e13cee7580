import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browseFolder, browseRoots } from '../../src-main/library/folder-browser';
import { apiContract } from '../../src-shared/api/contract';

let base: string;
let root: string;
let outside: string;
let roots: Array<{ label: string; path: string }>;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'fs-browse-')));
  root = join(base, 'home');
  outside = join(base, 'secret');
  mkdirSync(join(root, 'clips', 'train'), { recursive: true });
  mkdirSync(join(root, '.hidden'));
  mkdirSync(outside);
  writeFileSync(join(root, 'clips', 'squat.mp4'), 'x');
  writeFileSync(join(root, 'clips', 'notes.txt'), 'x');
  writeFileSync(join(outside, 'private.mp4'), 'x');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(root, 'clips'), join(root, 'clips-link'));
  roots = browseRoots({ FORM_STUDIO_BROWSE_ROOTS: root });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('import folder browser', () => {
  it('lists folders then videos under a root; hidden and non-video files left out', async () => {
    expect(roots).toEqual([{ label: 'home', path: root }]);
    const top = await browseFolder(root, roots);
    expect(top.parent).toBeNull();
    expect(top.entries.map((e) => [e.name, e.kind])).toEqual([
      ['clips', 'folder'],
      ['clips-link', 'folder'], // a symlink that stays inside is fine
    ]);
    const clips = await browseFolder(join(root, 'clips'), roots);
    expect(clips.parent).toBe(root);
    expect(clips.entries.map((e) => [e.name, e.kind])).toEqual([
      ['train', 'folder'],
      ['squat.mp4', 'video'],
    ]);
    expect((await browseFolder(undefined, roots)).entries).toEqual([{ name: 'home', path: root, kind: 'folder' }]);
  });

  it('refuses anything outside the roots: other folders, "..", symlinks out', async () => {
    await expect(browseFolder(outside, roots)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(browseFolder(join(root, '..', 'secret'), roots)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(browseFolder(join(root, 'escape'), roots)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(browseFolder('/', roots)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(browseFolder('relative/path', roots)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(browseFolder(join(root, 'nope'), roots)).rejects.toMatchObject({ code: 'not_found' });
    await expect(browseFolder(join(root, 'clips', 'squat.mp4'), roots)).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('validates its input with the contract schema', () => {
    const schema = apiContract['files.browse'].input;
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ path: '/home/x' }).success).toBe(true);
    expect(schema.safeParse({ path: '' }).success).toBe(false);
    expect(schema.safeParse({ path: 3 }).success).toBe(false);
    expect(schema.safeParse({ path: '/x', extra: 1 }).success).toBe(false);
  });
});
