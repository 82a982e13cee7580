/** Group-aware k-fold splits and the mean ± sd summary of per-fold metrics (pure). */
import { Rng } from '../model/rng';
import type { DataSplit } from '../model/train';
import type { CrossValidation } from '../api/training-contract';
import { mean, sd } from '../evaluation/stats';

export const DEFAULT_K_FOLD = 5;

/**
 * k folds over whole groups (a group's clips are never split between a fold's train and validation sets, like
 * `splitByGroup`): groups are shuffled by `seed`, then dealt largest first to the fold with the fewest clips, so
 * folds stay balanced when groups differ in size. Throws when there are fewer groups than folds.
 */
export function kFoldByGroup(groups: string[], k: number, seed = 1): DataSplit[] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const a = byGroup.get(g);
    if (a) a.push(i);
    else byGroup.set(g, [i]);
  });
  if (!Number.isInteger(k) || k < 2) throw new Error(`k-fold needs at least 2 folds (got ${k})`);
  if (byGroup.size < k) {
    throw new Error(
      `${k}-fold cross-validation needs at least ${k} groups (athletes / source clips); the data has ${byGroup.size}. Use fewer folds or label more clips.`,
    );
  }
  const keys = [...byGroup.keys()].sort();
  new Rng(seed).shuffle(keys);
  // Stable sort by size keeps the shuffled order among equal sizes.
  keys.sort((a, b) => byGroup.get(b)!.length - byGroup.get(a)!.length);
  const folds: number[][] = Array.from({ length: k }, () => []);
  for (const key of keys) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if (folds[f].length < folds[smallest].length) smallest = f;
    folds[smallest].push(...byGroup.get(key)!);
  }
  return folds.map((val, f) => ({
    train: folds.flatMap((idx, g) => (g === f ? [] : idx)).sort((a, b) => a - b),
    val: [...val].sort((a, b) => a - b),
  }));
}

type Fold = CrossValidation['folds'][number];

/** Mean and sample sd across folds of each metric (folds without a value are left out; null when none has one). */
export function summarizeFolds(folds: Fold[]): CrossValidation['summary'] {
  const stat = (pick: (f: Fold) => number | null) => {
    const v = folds.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
    const m = mean(v);
    const s = sd(v);
    return { mean: Number.isFinite(m) ? m : null, sd: Number.isFinite(s) ? s : null };
  };
  return {
    mae: stat((f) => f.mae),
    rmse: stat((f) => f.rmse),
    spearman: stat((f) => f.spearman),
    exerciseAccuracy: stat((f) => f.exerciseAccuracy),
    bestEpoch: stat((f) => f.bestEpoch),
  };
}
