/**
 * UCF-101 → exercise clips. Only the exercise classes are extracted from UCF101.rar (or the zip mirror
 * UCF101_videos.zip); everything else is skipped without being written.
 *
 * Class → exercise type (UCF101_EXERCISE_CLASSES):
 *   BodyWeightSquats→squat, PushUps→pushup, WallPushups→pushup, PullUps→pullup, Lunges→lunge,
 *   JumpingJack→jumping_jack, BenchPress→bench_press.
 * Decided NOT to include by default:
 *   - HandstandPushups: inverted vertical press; its form cues (body line, depth) differ from a push-up, so
 *     labelling it "pushup" would teach the push-up scorer the wrong pose; no matching type exists.
 *   - CleanAndJerk: an Olympic lift (no type for it; "other" would only add noise to the exercise head).
 *   Callers can pass `classes` to include them (e.g. { HandstandPushups: 'other' }).
 *
 * Split: the official split lists (trainlist0N/testlist0N, split 1 by default) when given — they are
 * group-disjoint by construction; otherwise 80/20 by group: groups g05, g10, g15, g20, g25 of each class are
 * test (every 5th of the 25 groups), the rest train. A group is never in both.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExerciseType } from '../../src-shared/domain/exercises.js';
import type { VideoSplit } from '../../src-shared/media/types.js';
import { archiveKind, extractArchive, type RefusedEntry } from './archive.js';
import { DatasetError } from './errors.js';

export const UCF101_EXERCISE_CLASSES: Readonly<Record<string, ExerciseType>> = {
  BodyWeightSquats: 'squat',
  PushUps: 'pushup',
  WallPushups: 'pushup',
  PullUps: 'pullup',
  Lunges: 'lunge',
  JumpingJack: 'jumping_jack',
  BenchPress: 'bench_press',
};

export const UCF101_EXCLUDED_CLASSES = ['HandstandPushups', 'CleanAndJerk'] as const;

export interface UcfName {
  className: string;
  group: number;
  clip: number;
  fileName: string;
}

/** Parse "…/v_BodyWeightSquats_g01_c02.avi" (case-insensitive extension). */
export function parseUcfName(name: string): UcfName | null {
  const fileName = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const m = /^v_([A-Za-z]+)_g(\d+)_c(\d+)\.avi$/i.exec(fileName);
  return m ? { className: m[1], group: Number(m[2]), clip: Number(m[3]), fileName } : null;
}

/** Read official split lists: file name → split. `dir` holds trainlist0N.txt / testlist0N.txt. */
export async function readOfficialSplit(dir: string, splitNumber: 1 | 2 | 3 = 1): Promise<Map<string, VideoSplit>> {
  const out = new Map<string, VideoSplit>();
  for (const [kind, split] of [
    ['train', 'train'],
    ['test', 'test'],
  ] as const) {
    const f = path.join(dir, `${kind}list0${splitNumber}.txt`);
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch {
      throw new DatasetError('missing_file', `UCF-101 split list not found: ${f}`);
    }
    for (const line of text.split(/\r?\n/)) {
      const rel = line.trim().split(/\s+/)[0];
      if (!rel) continue;
      const base = rel.split('/').pop()!;
      const prev = out.get(base);
      if (prev && prev !== split)
        throw new DatasetError('corrupt_archive', `${base} is listed in both train and test of split ${splitNumber}`);
      out.set(base, split);
    }
  }
  return out;
}

/** 80/20 by group: every 5th group (g05, g10, … g25) is test. */
export function groupSplit(group: number): VideoSplit {
  return group % 5 === 0 ? 'test' : 'train';
}

export interface UcfRecord {
  /** Relative to the dataset root, "/" separators: exercises_train/BodyWeightSquats/v_BodyWeightSquats_g08_c01.avi */
  relPath: string;
  exerciseType: ExerciseType;
  split: VideoSplit;
  className: string;
  group: number;
  clip: number;
}

export interface UcfExtractOptions {
  /** Archive: UCF101.rar or UCF101_videos.zip. */
  archive: string;
  /** Output root; videos go to <root>/exercises_{train,test}/<Class>/<file>. */
  root: string;
  /** Folder with the official split lists; omit for the 80/20 group split. */
  splitDir?: string;
  splitNumber?: 1 | 2 | 3;
  classes?: Readonly<Record<string, ExerciseType>>;
  signal?: AbortSignal;
  onProgress?: (p: { extracted: number; current: string }) => void;
}

export interface UcfExtractResult {
  records: UcfRecord[];
  refused: RefusedEntry[];
  /** Archive entries that were not exercise clips (not written). */
  skipped: number;
  splitSource: 'official' | 'group-80-20';
}

export async function extractUcf101(opts: UcfExtractOptions): Promise<UcfExtractResult> {
  if (!archiveKind(opts.archive))
    throw new DatasetError('corrupt_archive', `Not a RAR or ZIP archive: ${opts.archive}`);
  const classes = opts.classes ?? UCF101_EXERCISE_CLASSES;
  const official = opts.splitDir ? await readOfficialSplit(opts.splitDir, opts.splitNumber ?? 1) : null;
  const records = new Map<string, UcfRecord>();
  const res = await extractArchive(opts.archive, opts.root, {
    signal: opts.signal,
    select: (e) => {
      const u = parseUcfName(e.name);
      if (!u || !(u.className in classes)) return null;
      const split = official ? official.get(u.fileName) : groupSplit(u.group);
      if (!split) return null; // not in the chosen official split
      const relPath = `exercises_${split}/${u.className}/${u.fileName}`;
      records.set(relPath, {
        relPath,
        exerciseType: classes[u.className],
        split,
        className: u.className,
        group: u.group,
        clip: u.clip,
      });
      return relPath;
    },
    onEntry: (p) => opts.onProgress?.({ extracted: p.done, current: p.name }),
  });
  const written = new Set(res.written);
  const out = [...records.values()]
    .filter((r) => written.has(r.relPath))
    .sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
  return {
    records: out,
    refused: res.refused,
    skipped: res.skipped,
    splitSource: official ? 'official' : 'group-80-20',
  };
}
