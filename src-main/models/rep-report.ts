/**
 * `models.repReport`: the clip's model score and its reps, from cached keypoints (the model's N frames and
 * the dense set for counting), built by the same shared code the CLI prints. The panel and `form-studio score
 * --json` show exactly this structure, form cues included (the project's cue settings and learned cue models applied).
 */
import type { AppContext } from '../app-context';
import type { LoadedModel } from './model-registry';
import { scoreWithModel } from './scoring';
import { cueSettingsOf, learnedCuesOf } from '../cues/handlers';
import { ApiError } from '../../src-shared/api/errors';
import { buildRepReport, type RepReport } from '../../src-shared/reps/report';
import { flattenFrame, unflattenFrame, NO_POSE_ADVICE } from '../../src-shared/keypoints/stored';
import type { ModelScore } from '../../src-shared/api/models-contract';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

export async function repReport(
  services: AppContext,
  model: LoadedModel,
  input: { videoId: number; numFrames: number; exercise?: ExerciseType | 'auto' },
): Promise<{ clip: ModelScore; report: RepReport }> {
  const row = services.requireVideo(input.videoId);
  if (!row.contentHash) throw new ApiError('conflict', `${row.relPath} has no content hash yet; import it again`);
  const variant = services.store.poseVariant() as PoseModelVariant;
  const n = model.format === 'fsmodel' ? model.model.spec.numFrames : model.numFrames;
  const kp = services.keypoints.get({ contentHash: row.contentHash, numFrames: n, variant });
  const dense = services.keypoints.get({ contentHash: row.contentHash, numFrames: input.numFrames, variant });
  if (!kp || !dense)
    throw new ApiError('bad_input', `${row.relPath}: extract keypoints first (${n} and ${input.numFrames} frames)`);
  if (kp.status !== 'ok' || dense.status !== 'ok')
    throw new ApiError('bad_input', `${row.relPath}: ${kp.message ?? dense.message ?? NO_POSE_ADVICE}`);
  const aspect = row.width && row.height ? row.width / row.height : 1;
  const clip = await scoreWithModel(model, kp.frames, aspect);
  const hasHead = model.format === 'fsmodel' ? !!model.model.spec.heads.exercise : !!model.probsOutput;
  const cueSettings = await cueSettingsOf(services);
  const learnedCues = await learnedCuesOf(services);
  const report = await buildRepReport({
    cueSettings,
    learnedCues,
    frames: dense.frames.map(unflattenFrame),
    timestampsSec: dense.timestamps,
    aspect,
    exercise: input.exercise ?? row.label.exerciseType ?? 'auto',
    guess: { exercise: clip.exercise, confidence: clip.confidence },
    hasExerciseHead: hasHead,
    scoreWindow: async (win) => {
      // ≤ 256 frames per call; modelInput resamples the rep's own frames to the model's N.
      const step = Math.max(1, Math.ceil(win.length / 256));
      const r = await scoreWithModel(model, win.filter((_, i) => i % step === 0).map(flattenFrame), aspect).catch(
        () => null,
      ); // no person in the window
      return r ? r.score : null;
    },
  });
  return { clip, report };
}
