import { readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetStatus } from '../../src-main/datasets/catalog.js';
import { downloadDataset, importFolder, listDatasets } from '../../src-main/datasets/pipeline.js';
import { extractCocoKeypoints, TopLevelArrayScanner } from '../../src-main/datasets/coco.js';
import { formatDownloadProgress } from '../../src-main/datasets/progress-text.js';
import { extractUcf101, groupSplit, parseUcfName } from '../../src-main/datasets/ucf101.js';
import { probe } from '../../src-main/media/probe.js';
import { FIXTURES, makeAvi, tmpDir } from '../media/helpers.js';
import { serve, type Served } from './server.js';
import { makeZip } from './zip-helpers.js';

const SPLITS = path.join(FIXTURES, 'ucf101/ucfTrainTestlist');
let dir: string;
let ucfZip: string;
let splitZip: string;
let cocoZip: string;
const CLIPS = [
  'BodyWeightSquats/v_BodyWeightSquats_g01_c01.avi', // official split 1: test (g01–g07)
  'BodyWeightSquats/v_BodyWeightSquats_g10_c02.avi', // train; group split: test (g10)
  'PushUps/v_PushUps_g08_c01.avi',
  'WallPushups/v_WallPushups_g03_c01.avi',
  'HandstandPushups/v_HandstandPushups_g01_c01.avi', // excluded by decision
  'ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi', // not an exercise
];

beforeAll(async () => {
  dir = await tmpDir('ucf');
  const a = path.join(dir, 'a.avi');
  const b = path.join(dir, 'b.avi');
  await Promise.all([
    makeAvi(path.join(FIXTURES, 'videos/gymnai_squat.mp4'), a, 1),
    makeAvi(path.join(FIXTURES, 'videos/gymnai_push_up.mp4'), b, 1),
  ]);
  ucfZip = path.join(dir, 'UCF101_videos.zip');
  await makeZip(ucfZip, [
    ...CLIPS.map((c, i) => ({ name: `UCF-101/${c}`, file: i % 2 ? b : a })),
    { name: 'UCF-101/xx/v_PushUps_g09_c01.avi', rawName: '../UCF-101/v_PushUps_g09_c01.avi' },
  ]);
  splitZip = path.join(dir, 'UCF101TrainTestSplits-RecognitionTask.zip');
  const lists = (await readdir(SPLITS)).filter((f) => f.endsWith('.txt'));
  await makeZip(
    splitZip,
    lists.map((f) => ({ name: `ucfTrainTestlist/${f}`, file: path.join(SPLITS, f) })),
  );
  cocoZip = path.join(dir, 'annotations_trainval2017.zip');
  await makeZip(cocoZip, [
    { name: 'annotations/instances_val2017.json', data: Buffer.from('{"images":[],"annotations":[]}') },
    { name: 'annotations/person_keypoints_val2017.json', file: path.join(FIXTURES, 'coco/test_coco.json') },
  ]);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('UCF-101', () => {
  it('parses clip names and splits by group', () => {
    expect(parseUcfName('UCF-101/PushUps/v_PushUps_g08_c01.avi')).toMatchObject({
      className: 'PushUps',
      group: 8,
      clip: 1,
    });
    expect(parseUcfName('x/readme.txt')).toBeNull();
    expect([1, 5, 10, 24, 25].map(groupSplit)).toEqual(['train', 'test', 'test', 'train', 'test']);
  });
  it('extracts only exercise classes, split by the official list 1, playable clips', async () => {
    const root = path.join(dir, 'official');
    const r = await extractUcf101({ archive: ucfZip, root, splitDir: SPLITS });
    expect(r.splitSource).toBe('official');
    expect(r.records.map((x) => [x.relPath, x.exerciseType, x.split, x.group])).toEqual([
      ['exercises_test/BodyWeightSquats/v_BodyWeightSquats_g01_c01.avi', 'squat', 'test', 1],
      ['exercises_test/WallPushups/v_WallPushups_g03_c01.avi', 'pushup', 'test', 3],
      ['exercises_train/BodyWeightSquats/v_BodyWeightSquats_g10_c02.avi', 'squat', 'train', 10],
      ['exercises_train/PushUps/v_PushUps_g08_c01.avi', 'pushup', 'train', 8],
    ]);
    expect(r.refused).toEqual([{ name: '../UCF-101/v_PushUps_g09_c01.avi', reason: 'parent directory (..) in path' }]);
    expect(r.skipped).toBe(2);
    expect((await readdir(root)).sort()).toEqual(['exercises_test', 'exercises_train']);
    expect(await probe(path.join(root, r.records[0].relPath))).toMatchObject({ codec: 'mpeg4', container: 'avi' });
  });
  it('falls back to an 80/20 group split with no group in both', async () => {
    const r = await extractUcf101({ archive: ucfZip, root: path.join(dir, 'groups') });
    expect(r.splitSource).toBe('group-80-20');
    const bySplit = new Map<string, Set<string>>();
    for (const x of r.records)
      bySplit.set(x.split, (bySplit.get(x.split) ?? new Set()).add(`${x.className}_${x.group}`));
    const train = bySplit.get('train') ?? new Set();
    for (const g of bySplit.get('test') ?? []) expect(train.has(g)).toBe(false);
    expect(r.records.find((x) => x.group === 10)?.split).toBe('test');
  });
});

describe('COCO keypoints', () => {
  it('streams person_keypoints_val2017.json out of the zip into a compact table and links images', async () => {
    const out = path.join(dir, 'coco');
    const r = await extractCocoKeypoints({
      zip: cocoZip,
      outDir: out,
      splits: ['val'],
      imagesDirs: { val: path.join(FIXTURES, 'coco') },
    });
    expect(r.splits[0]).toMatchObject({ split: 'val', images: 4, annotations: 14, kept: 12, imagesLinked: 4 });
    const rows = (await readFile(r.splits[0].keypointsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as number[]);
    expect(rows).toHaveLength(12);
    const src = JSON.parse(await readFile(path.join(FIXTURES, 'coco/test_coco.json'), 'utf8'));
    const a0 = src.annotations.find((a: { id: number }) => a.id === rows[0][1]);
    expect(rows[0]).toEqual([
      a0.image_id,
      a0.id,
      ...a0.bbox.map((x: number) => Math.round(x * 100) / 100),
      a0.num_keypoints,
      ...a0.keypoints,
    ]);
    expect(rows.every((x) => x.length === 7 + 51)).toBe(true);
    const imgs = (await readFile(r.splits[0].imagesFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(imgs.map((i: { id: number }) => i.id).sort((x: number, y: number) => x - y)).toEqual([
      785, 40083, 196141, 197388,
    ]);
    expect(imgs.every((i: { path: string }) => i.path.startsWith(path.join(FIXTURES, 'coco')))).toBe(true);
    await expect(extractCocoKeypoints({ zip: cocoZip, outDir: out, splits: ['train'] })).rejects.toMatchObject({
      code: 'missing_file',
    });
  });
  it('scanner handles strings with brackets/escapes and arbitrary chunk boundaries', () => {
    const doc = JSON.stringify({
      info: { x: '[{' },
      images: [{ id: 1, file_name: 'a]"}.jpg' }],
      annotations: [{ id: 2, k: [1, [2]] }, { id: 3 }],
    });
    for (const size of [1, 3, 7, doc.length]) {
      const got: string[] = [];
      const s = new TopLevelArrayScanner(new Set(['images', 'annotations']), (k, t) => got.push(`${k}:${t}`));
      for (let i = 0; i < doc.length; i += size) s.write(doc.slice(i, i + size));
      expect(got).toEqual([
        'images:{"id":1,"file_name":"a]\\"}.jpg"}',
        'annotations:{"id":2,"k":[1,[2]]}',
        'annotations:{"id":3}',
      ]);
    }
  });
});

describe('CLI functions end to end over HTTP', () => {
  let srv: Served;
  beforeAll(async () => {
    srv = await serve({
      '/UCF101_videos.zip': { file: ucfZip, fault: { kind: 'drop', afterBytes: 100_000, times: 1 } },
      '/splits.zip': { file: splitZip },
      '/ann.zip': { file: cocoZip },
    });
  });
  afterAll(() => srv.close());
  it('lists, downloads (resuming), verifies and extracts ucf101 and coco; status follows the disk', async () => {
    const home = path.join(dir, 'home');
    expect((await listDatasets(home)).map((d) => [d.id, d.status])).toEqual([
      ['ucf101', 'not_downloaded'],
      ['coco', 'not_downloaded'],
    ]);
    const lines: string[] = [];
    const u = await downloadDataset('ucf101', home, {
      ucfZipMirror: true,
      overrides: {
        'UCF101_videos.zip': { url: srv.url('/UCF101_videos.zip') },
        'UCF101TrainTestSplits-RecognitionTask.zip': { url: srv.url('/splits.zip') },
      },
      backoffMs: 10,
      onProgress: (e) => e.stage === 'download' && lines.push(formatDownloadProgress(e.progress)),
    });
    const resumedAt = Number(
      /resuming at/.test(lines.join()) ? srv.ranges.get('/UCF101_videos.zip')?.[1]?.match(/\d+/)?.[0] : NaN,
    );
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    expect(u.id === 'ucf101' && u.records.length).toBe(4);
    expect(u.status.status).toBe('extracted');
    expect(lines.some((l) => l.includes('resuming at'))).toBe(true);
    // the extracted folder imports as a toolkit layout
    const imp = await importFolder(path.join(home, 'datasets/ucf101'));
    expect(imp.records.filter((r) => r.status === 'ok').map((r) => [r.split, r.exerciseType])).toContainEqual([
      'test',
      'squat',
    ]);

    const size = (await stat(cocoZip)).size;
    const wrong = await downloadDataset('coco', home, {
      overrides: { 'annotations_trainval2017.zip': { url: srv.url('/ann.zip'), size } },
    }).catch((e) => e);
    expect(wrong.code).toBe('checksum_mismatch'); // the catalog's real md5 does not match our test zip
    expect((await datasetStatus(home, 'coco')).status).toBe('not_downloaded');
    const { createHash } = await import('node:crypto');
    const md5 = createHash('md5')
      .update(await readFile(cocoZip))
      .digest('hex');
    const c = await downloadDataset('coco', home, {
      overrides: {
        'annotations_trainval2017.zip': { url: srv.url('/ann.zip'), size, checksum: { algorithm: 'md5', value: md5 } },
      },
      cocoImages: { val: path.join(FIXTURES, 'coco') },
    }).catch((e) => e);
    // only val is in the test zip: train is reported missing, after the file was verified
    expect(c.code).toBe('missing_file');
    // verified against our override, but not the catalog's official size: status never claims 'verified' for it
    const st = await datasetStatus(home, 'coco');
    expect(st.status).toBe('downloaded');
    expect(st.files[0]).toMatchObject({ state: 'downloaded', bytes: size, expected: 252_907_541 });
  }, 120_000);
});
