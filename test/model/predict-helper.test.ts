/**
 * Inference on two threads (src-main/models/predict-helper.ts): the batches shared between this thread and the
 * helper worker give exactly the in-process predictions (same kernels, same batch size), the worker really takes
 * batches once it is up, and with the worker switched off everything still runs here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfNode } from '../../src-main/models/tf-node';
import {
  PREDICT_BATCH,
  predictBatches,
  predictParallel,
  predictWorkerReady,
  setPredictWorker,
} from '../../src-main/models/predict-helper';
import { ScoringModel, standardModel } from '../../src-shared/model';
import { Rng } from '../../src-shared/model/rng';

let model: ScoringModel;
const per = 24 * 132;
const n = 5 * PREDICT_BATCH + 7; // a short last batch
const rng = new Rng(5);
const xs = Array.from({ length: n }, () => Float32Array.from({ length: per }, () => rng.uniform(-1, 1)));

beforeAll(async () => {
  await initTfNode();
  model = ScoringModel.create(standardModel(24, { exerciseHead: true }), 2);
});
afterAll(() => {
  setPredictWorker(true);
  model.dispose();
});

describe('predictParallel', () => {
  it('gives the in-process predictions, with batches run on the worker', async () => {
    expect(await predictWorkerReady()).toBe(true);
    const want = model.predict(xs, PREDICT_BATCH);
    const before = predictBatches.worker;
    const got = await predictParallel(model, xs);
    expect(predictBatches.worker - before).toBeGreaterThan(0);
    expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
    expect(got.exerciseProbs).toHaveLength(n);
    for (let i = 0; i < n; i++) expect(Array.from(got.exerciseProbs![i])).toEqual(Array.from(want.exerciseProbs![i]));
  }, 180_000);

  it('runs everything here with the worker off', async () => {
    setPredictWorker(false);
    const before = { ...predictBatches };
    const got = await predictParallel(model, xs.slice(0, 2 * PREDICT_BATCH));
    expect(predictBatches.worker).toBe(before.worker);
    expect(predictBatches.here - before.here).toBe(2);
    expect(Array.from(got.scores)).toEqual(
      Array.from(model.predict(xs.slice(0, 2 * PREDICT_BATCH), PREDICT_BATCH).scores),
    );
  });
});
