/** Train/validation split by group, and whether a sample set needs the exercise head. */
import { Rng } from '../rng';
import type { DataSplit } from './types';

/**
 * Split sample indices by group: whole groups go to validation until ≥ valFraction of the samples are there.
 * With a single group everything is training (no validation).
 */
export function splitByGroup(groups: string[], valFraction = 0.2, seed = 1): DataSplit {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const a = byGroup.get(g);
    if (a) a.push(i);
    else byGroup.set(g, [i]);
  });
  const keys = [...byGroup.keys()].sort();
  new Rng(seed).shuffle(keys);
  const val: number[] = [];
  const train: number[] = [];
  const target = valFraction * groups.length;
  keys.forEach((k, i) => {
    const idx = byGroup.get(k)!;
    const roomForTrain = i < keys.length - 1 || train.length > 0;
    if (
      val.length < target &&
      valFraction > 0 &&
      keys.length > 1 &&
      roomForTrain &&
      (val.length === 0 || val.length + idx.length <= target * 1.5)
    )
      val.push(...idx);
    else train.push(...idx);
  });
  if (train.length === 0 && val.length > 0) return { train: val, val: [] };
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/** True when the samples use more than one exercise type (the exercise head is then useful). */
export function needsExerciseHead(samples: Array<{ exercise?: number }>): boolean {
  return new Set(samples.map((s) => s.exercise).filter((e) => e !== undefined)).size > 1;
}
