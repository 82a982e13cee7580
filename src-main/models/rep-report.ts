/**
 * `models.repReport`: a project video's cached keypoints (the model's N frames and the dense set for counting) put
 * through the one scoring pipeline (src-shared/scoring), the project's cue settings and learned cue models applied. The panel and
 * `form-studio score --json` show exactly this structure.
 */
import type { AppContext } from '../app-context';
import type { LoadedModel } from './model-registry';
import { clipModelOf } from './scoring';
import { cueSettingsOf, learnedCuesOf } from '../cues/handlers';
import { ApiError } from '../../src-shared/api/errors';
import { scoreVideo } from '../../src-shared/scoring/pipeline';
import type { ClipScore } from '../../src-shared/scoring/clip-score';
import type { RepReport } from '../../src-shared/reps/report';
import { unflattenFrame, NO_POSE_ADVICE } from '../../src-shared/keypoints/stored';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

export async function repReport(
  services: AppContext,
  model: LoadedModel,
  input: { videoId: number; numFrames: number; exercise?: ExerciseType | 'auto' },
): Promise<{ clip: ClipScore; report: RepReport }> {
  const row = services.requireVideo(input.videoId);
  if (!row.contentHash) throw new ApiError('conflict', `${row.relPath} has no content hash yet; import it again`);
  const variant = services.store.poseVariant() as PoseModelVariant;
  const clipModel = clipModelOf(model);
  const n = clipModel.numFrames;
  const kp = services.keypoints.get({ contentHash: row.contentHash, numFrames: n, variant });
  const dense = services.keypoints.get({ contentHash: row.contentHash, numFrames: input.numFrames, variant });
  if (!kp || !dense)
    throw new ApiError('bad_input', `${row.relPath}: extract keypoints first (${n} and ${input.numFrames} frames)`);
  if (kp.status !== 'ok' || dense.status !== 'ok')
    throw new ApiError('bad_input', `${row.relPath}: ${kp.message ?? dense.message ?? NO_POSE_ADVICE}`);
  return scoreVideo(clipModel, {
    modelFrames: kp.frames,
    frames: dense.frames.map(unflattenFrame),
    timestampsSec: dense.timestamps,
    aspect: row.width && row.height ? row.width / row.height : 1,
    exercise: input.exercise ?? row.label.exerciseType ?? 'auto',
    cueSettings: await cueSettingsOf(services),
    learnedCues: await learnedCuesOf(services),
  });
}
