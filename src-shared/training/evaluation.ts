import { EXERCISE_TYPES, exerciseIndex, type ExerciseType } from '../domain/exercises';
import { evaluatePredictions } from '../model/metrics';
import type { Evaluation } from '../api/training-contract';

// ── Evaluation report from predictions (pure) ────────────────────────────────────────────────────────
export function buildEvaluation(
  points: Array<{
    videoId: number;
    label: number;
    predicted: number;
    exercise: ExerciseType;
    probs?: ArrayLike<number>;
  }>,
): Evaluation {
  const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const pred = points.map((p) => p.predicted);
  const target = points.map((p) => p.label);
  const ex = points.map((p) => exerciseIndex(p.exercise));
  const hasProbs = points.length > 0 && points.every((p) => p.probs && p.probs.length === EXERCISE_TYPES.length);
  const rep = evaluatePredictions(
    pred,
    target,
    ex,
    hasProbs ? points.map((p) => p.probs!) : undefined,
    EXERCISE_TYPES.length,
  );
  const perExercise = Object.entries(rep.perExercise ?? {}).map(([k, v]) => ({
    exercise: EXERCISE_TYPES[Number(k)],
    mae: v.mae,
    count: v.count,
  }));
  let confusionLabels: ExerciseType[] = [];
  let confusion: number[][] = [];
  if (rep.confusion) {
    const used = EXERCISE_TYPES.map((_, i) => i).filter((i) =>
      rep.confusion!.some((row, r) => row[i] > 0 || (r === i && row.some((x) => x > 0))),
    );
    confusionLabels = used.map((i) => EXERCISE_TYPES[i]);
    confusion = used.map((r) => used.map((c) => rep.confusion![r][c]));
  }
  return {
    n: rep.n,
    mae: finiteOrNull(rep.mae),
    rmse: finiteOrNull(rep.rmse),
    spearman: finiteOrNull(rep.spearman),
    perExercise,
    exerciseAccuracy: finiteOrNull(rep.exerciseAccuracy),
    confusionLabels,
    confusion,
    points: points.map((p) => ({ videoId: p.videoId, label: p.label, predicted: Math.round(p.predicted * 100) / 100 })),
  };
}
