/**
 * The training data of a project: every train-split video with its label and cached keypoints (for the sampling
 * and pose model asked for), why the others are left out, and optionally the other videos to predict.
 */
import type { Db } from '../store/database';
import { SAMPLING_ID } from '../store/project-store';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import type { PredictItem, TrainingData, TrainingItem } from '../../src-shared/api/training-contract';
import { groupKeyOf } from '../../src-shared/training/samples';
import { decodeKeypointRecord } from '../../src-shared/keypoints/cache-record';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

export function readTrainingData(
  db: Db,
  projectId: number,
  numFrames: number,
  variant: PoseModelVariant,
  withOthers: boolean,
): TrainingData {
  const rows = db
    .prepare(
      `SELECT v.id, v.rel_path, v.split, v.status, v.group_key, v.width, v.height, v.rotation,
              l.exercise_type, l.score, k.status AS kp_status, k.data AS kp_data
       FROM videos v
       LEFT JOIN labels l ON l.video_id = v.id
       LEFT JOIN keypoint_cache k ON k.content_hash = v.content_hash AND k.num_frames = @n AND k.sampling = @s AND k.model_variant = @m
       WHERE v.project_id = @p ORDER BY v.rel_path`,
    )
    .all({ p: projectId, n: numFrames, s: SAMPLING_ID, m: variant }) as Array<{
    id: number;
    rel_path: string;
    split: 'train' | 'test';
    status: string;
    group_key: string | null;
    width: number | null;
    height: number | null;
    rotation: number | null;
    exercise_type: ExerciseType | null;
    score: number | null;
    kp_status: 'ok' | 'no_pose' | 'error' | null;
    kp_data: Buffer | null;
  }>;
  const data: TrainingData = {
    numFrames,
    variant,
    items: [],
    others: [],
    exerciseTypes: [],
    counts: {
      trainVideos: 0,
      usable: 0,
      unlabeled: 0,
      noKeypoints: 0,
      noPose: 0,
      extractionFailed: 0,
      importFailed: 0,
    },
    excluded: [],
  };
  const exclude = (r: (typeof rows)[number], reason: TrainingData['excluded'][number]['reason']) => {
    if (data.excluded.length < 200) data.excluded.push({ videoId: r.id, relPath: r.rel_path, reason });
  };
  const types = new Set<ExerciseType>();
  for (const r of rows) {
    const labeled = r.score !== null && r.exercise_type !== null;
    const kp = r.kp_status === 'ok' && r.kp_data ? decodeKeypointRecord(r.kp_data, { numFrames, variant }) : null;
    // width/height are stored as displayed (rotation already applied at import), like the frames pose saw.
    const aspectRatio = r.width && r.height ? r.width / r.height : 1;
    if (r.split === 'train') {
      data.counts.trainVideos++;
      if (r.status === 'error') {
        data.counts.importFailed++;
        exclude(r, 'import failed');
        continue;
      }
      if (!labeled) {
        data.counts.unlabeled++;
        exclude(r, 'unlabeled');
      } else if (r.kp_status === null) {
        data.counts.noKeypoints++;
        exclude(r, 'no keypoints');
      } else if (r.kp_status === 'no_pose') {
        data.counts.noPose++;
        exclude(r, 'no pose');
      } else if (r.kp_status === 'error' || !kp) {
        data.counts.extractionFailed++;
        exclude(r, 'extraction failed');
      } else {
        const item: TrainingItem = {
          videoId: r.id,
          relPath: r.rel_path,
          split: r.split,
          score: r.score!,
          exercise: r.exercise_type!,
          group: groupKeyOf(r.rel_path, r.group_key),
          aspectRatio,
          keypoints: { ...kp, numFrames, variant },
        };
        data.items.push(item);
        types.add(item.exercise);
        data.counts.usable++;
        continue;
      }
    }
    if (withOthers && kp) {
      const other: PredictItem = {
        videoId: r.id,
        relPath: r.rel_path,
        split: r.split,
        score: r.score,
        exercise: r.exercise_type,
        aspectRatio,
        keypoints: { ...kp, numFrames, variant },
        group: groupKeyOf(r.rel_path, r.group_key),
      };
      data.others.push(other);
    }
  }
  data.exerciseTypes = EXERCISE_TYPES.filter((t) => types.has(t));
  return data;
}
