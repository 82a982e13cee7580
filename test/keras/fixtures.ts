/** The Keras fixtures made by real Keras 3.15 / TensorFlow 2.21 (shared/fixtures/keras, README there). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../support/fixtures';

export const KERAS_DIR = fixture('keras');

export interface KerasExpected {
  inputs: number[][][];
  models: Record<string, { outputs: Record<string, number[][]>; output_order: string[] }>;
  tflite: Record<string, { outputs?: Array<{ name: string; shape: number[] }> }>;
  exercise_types_in_guide_order: string[];
}

export function expected(): KerasExpected {
  return JSON.parse(readFileSync(path.join(KERAS_DIR, 'expected.json'), 'utf8')) as KerasExpected;
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(KERAS_DIR, name)));
}

/** The six inputs as [24·132] clips. */
export function inputs(e: KerasExpected): Float32Array[] {
  return e.inputs.map((clip) => Float32Array.from(clip.flat()));
}

export const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};
