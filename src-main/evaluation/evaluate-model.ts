/**
 * Evaluate a loaded model on a split of the project: gather labeled videos with keypoints (the same query as
 * training), predict in batches, then hand rows and training labels to the one pure implementation
 * (src-shared/evaluation). Used by the `evaluation.run` call and by `form-studio evaluate --model PATH`.
 */
import type { AppContext } from '../app-context';
import type { LoadedModel } from '../models/model-registry';
import { SAMPLING_ID } from '../store/project-store';
import { ApiError } from '../../src-shared/api/errors';
import { evaluate, type EvalInputRow, type EvalSplit, type EvaluationReport } from '../../src-shared/evaluation';
import { splitByGroup } from '../../src-shared/model/train';
import { modelInput } from '../../src-shared/scoring/model-input';
import { scoreInputs } from '../../src-shared/scoring/pipeline';
import { clipModelOf } from '../models/scoring';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import type { StoredKeypoints } from '../../src-shared/keypoints/stored';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { TrainingSettings } from '../../src-shared/api/training-contract';

interface Candidate {
  videoId: number;
  relPath: string;
  exercise: ExerciseType;
  label: number;
  aspectRatio: number;
  keypoints: StoredKeypoints;
}

/** The model's frame count and the pose variant its keypoints came from (the project's for imported models). */
function modelInputShape(services: AppContext, m: LoadedModel): { numFrames: number; variant: PoseModelVariant } {
  const numFrames = clipModelOf(m).numFrames;
  const v = m.info.metrics.variant;
  const variant = (
    v === 'lite' || v === 'full' || v === 'heavy' ? v : services.store.poseVariant()
  ) as PoseModelVariant;
  return { numFrames, variant };
}

/** Why test videos are left out (counted without reading keypoints). */
function testSkipped(services: AppContext, numFrames: number, variant: string): EvaluationReport['skipped'] {
  const r = services.db
    .prepare(
      `SELECT SUM(l.score IS NULL OR l.exercise_type IS NULL) AS unlabeled,
              SUM(l.score IS NOT NULL AND l.exercise_type IS NOT NULL AND (k.status IS NULL OR k.status = 'error')) AS noKeypoints,
              SUM(l.score IS NOT NULL AND l.exercise_type IS NOT NULL AND k.status = 'no_pose') AS noPose
       FROM videos v LEFT JOIN labels l ON l.video_id = v.id
       LEFT JOIN keypoint_cache k ON k.content_hash = v.content_hash AND k.num_frames = @n AND k.sampling = @s AND k.model_variant = @m
       WHERE v.project_id = @p AND v.split = 'test' AND v.status != 'error'`,
    )
    .get({ p: services.store.projectId, n: numFrames, s: SAMPLING_ID, m: variant }) as Record<string, number | null>;
  return { unlabeled: r.unlabeled ?? 0, noKeypoints: r.noKeypoints ?? 0, noPose: r.noPose ?? 0 };
}

/** The run settings of a trained model (for the validation split); null for imported models. */
function runSettings(services: AppContext, m: LoadedModel): TrainingSettings | null {
  if (m.info.runId === null) return null;
  try {
    return services.runs.get(m.info.runId).run.settings;
  } catch {
    return null;
  }
}

export async function evaluateLoadedModel(
  services: AppContext,
  m: LoadedModel,
  split: EvalSplit,
  opts: { resamples?: number; seed?: number } = {},
): Promise<EvaluationReport> {
  const t0 = performance.now();
  const { numFrames, variant } = modelInputShape(services, m);
  const data = services.runs.trainingData(numFrames, variant, split === 'test');
  let rows: Candidate[];
  let train = data.items;
  let skipped: EvaluationReport['skipped'];
  if (split === 'test') {
    rows = data.others
      .filter((o) => o.split === 'test' && o.score !== null && o.exercise !== null)
      .map((o) => ({ ...o, label: o.score!, exercise: o.exercise! }));
    skipped = testSkipped(services, numFrames, variant);
  } else {
    const c = data.counts;
    skipped = { unlabeled: c.unlabeled, noKeypoints: c.noKeypoints + c.extractionFailed, noPose: c.noPose };
    rows = data.items.map((it) => ({ ...it, label: it.score }));
    if (split === 'val') {
      const s = runSettings(services, m);
      if (!s)
        throw new ApiError(
          'bad_input',
          `Model "${m.info.name}" has no training run, so it has no validation split: evaluate it on the test split.`,
        );
      // The run's own group-aware split (same seed and share), over the same items training saw.
      const parts = splitByGroup(
        data.items.map((it) => it.group),
        s.valFraction,
        s.seed,
      );
      if (parts.val.length === 0)
        throw new ApiError(
          'bad_input',
          `Run ${m.info.runId} had no validation set (all clips in one group, or validation share 0): evaluate on the test split.`,
        );
      rows = parts.val.map((i) => rows[i]);
      train = parts.train.map((i) => data.items[i]);
    }
  }
  if (rows.length === 0) {
    const why = [
      skipped.unlabeled && `${skipped.unlabeled} unlabeled`,
      skipped.noKeypoints && `${skipped.noKeypoints} without keypoints for ${numFrames} frames (${variant} pose model)`,
      skipped.noPose && `${skipped.noPose} with no pose`,
    ].filter(Boolean);
    const advice =
      split === 'test'
        ? 'Move some labeled videos to the test split (Training → "Make a test split"), label them and extract keypoints.'
        : 'Label videos and extract keypoints in the Library.';
    throw new ApiError(
      'bad_input',
      `The ${split} split has no labeled videos with keypoints to evaluate${why.length ? ` (${why.join(', ')})` : ''}. ${advice}`,
    );
  }
  if (train.length === 0)
    throw new ApiError(
      'bad_input',
      'The baselines need labeled training videos with keypoints: label videos of the train split.',
    );
  const preds = await scoreInputs(
    clipModelOf(m),
    rows.map((r) => modelInput(r.keypoints, numFrames, r.aspectRatio)),
  );
  const input: EvalInputRow[] = rows.map((r, i) => ({
    videoId: r.videoId,
    relPath: r.relPath,
    exercise: r.exercise,
    label: r.label,
    predicted: Math.round(preds[i].score * 100) / 100,
    predictedExercise: preds[i].exercise,
    confidence: preds[i].confidence === null ? null : Math.round(preds[i].confidence! * 1e4) / 1e4,
  }));
  const report = evaluate(input, {
    split,
    model: { id: m.info.id || null, name: m.info.name },
    train: train.map((t) => ({ score: t.score, exercise: t.exercise })),
    resamples: opts.resamples,
    seed: opts.seed,
    skipped,
  });
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
