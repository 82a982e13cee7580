/** Small-data checks before training, and making a group-aware test split on request. */
import type { AppContext } from '../app-context';
import { splitByGroup } from '../../src-shared/model/train';
import { groupKeyOf } from '../../src-shared/training/samples';
import { dataWarnings } from '../../src-shared/evaluation/warnings';
import type { DataCheck } from '../../src-shared/evaluation/contract';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../../src-shared/keypoints/format';
import { ApiError } from '../../src-shared/api/errors';

function labeledTestCount(services: AppContext): number {
  const r = services.db
    .prepare(
      `SELECT COUNT(*) AS n FROM videos v JOIN labels l ON l.video_id = v.id WHERE v.project_id = ? AND v.split = 'test' AND l.score IS NOT NULL AND l.exercise_type IS NOT NULL`,
    )
    .get(services.store.projectId) as { n: number };
  return r.n;
}

/** The warnings for training with these settings: the same items and the same split the training run uses. */
export function dataCheck(
  services: AppContext,
  o: { numFrames?: number; valFraction: number; seed: number },
): DataCheck {
  const data = services.runs.trainingData(
    o.numFrames ?? DEFAULT_NUM_FRAMES,
    services.store.poseVariant() as PoseModelVariant,
    false,
  );
  const valCount = data.items.length
    ? splitByGroup(
        data.items.map((i) => i.group),
        o.valFraction,
        o.seed,
      ).val.length
    : 0;
  const testLabeled = labeledTestCount(services);
  return {
    clips: data.items.length,
    valCount,
    testLabeled,
    warnings: dataWarnings({ items: data.items, valCount, testLabeled }),
  };
}

/**
 * Move ≈ `fraction` of the labeled train videos to test, whole groups at a time (an athlete or source clip never
 * straddles train and test) — the split training uses, applied to every labeled train video.
 */
export function makeTestSplit(
  services: AppContext,
  o: { fraction: number; seed: number },
): { moved: number; groups: number; test: number } {
  const rows = services.db
    .prepare(
      `SELECT v.id, v.rel_path, v.group_key, (l.score IS NOT NULL AND l.exercise_type IS NOT NULL) AS labeled FROM videos v
       LEFT JOIN labels l ON l.video_id = v.id WHERE v.project_id = ? AND v.split = 'train' ORDER BY v.rel_path`,
    )
    .all(services.store.projectId) as Array<{
    id: number;
    rel_path: string;
    group_key: string | null;
    labeled: number;
  }>;
  const all = rows.map((r) => ({ id: r.id, group: groupKeyOf(r.rel_path, r.group_key), labeled: r.labeled === 1 }));
  const labeled = all.filter((r) => r.labeled);
  const groups = labeled.map((r) => r.group);
  if (new Set(groups).size < 2) {
    throw new ApiError(
      'bad_input',
      `A test split needs labeled train videos from at least 2 groups (athletes or source clips); there ${groups.length === 1 ? 'is 1 video' : `are ${groups.length} videos`} in ${new Set(groups).size} group(s).`,
    );
  }
  const parts = splitByGroup(groups, o.fraction, o.seed);
  if (parts.val.length === 0)
    throw new ApiError('bad_input', 'No group could move to test without emptying train: label more videos first.');
  // The chosen groups move whole, unlabeled clips included, so no group straddles train and test later.
  const chosen = new Set(parts.val.map((i) => groups[i]));
  const ids = all.filter((r) => chosen.has(r.group)).map((r) => r.id);
  services.store.applyLabelEdits(
    ids.map((videoId) => ({ videoId, split: 'test' as const })),
    'test-split',
  );
  services.emit({ type: 'videos.changed', videoIds: ids });
  services.emit({ type: 'project.changed' });
  return { moved: ids.length, groups: chosen.size, test: labeledTestCount(services) };
}
