/**
 * The standard model built from stock tf.layers (tf.layers.bidirectional(lstm)), for benchmark comparison and
 * as a numerical reference in tests. Not used by the app. Recurrent activation is sigmoid and all initializers are
 * glorotUniform (tfjs defaults would be hardSigmoid and a very slow orthogonal init).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from './architecture';
import type { ParamMap } from './serialize';

/** Stock equivalent of `standardModel(numFrames)` (BiLSTM → dense relu → dropout → score [+ exercise] heads). */
export function buildStockStandardModel(spec: ModelSpec, learningRate = 1e-4): tf.LayersModel {
  const lstmLayer = spec.layers[0];
  const dense = spec.layers[1];
  if (lstmLayer.kind !== 'bilstm' || dense.kind !== 'dense') throw new Error('not a standard-model spec');
  const input = tf.input({ shape: [spec.numFrames, spec.numFeatures] });
  const lstm = tf.layers.lstm({
    units: lstmLayer.units,
    returnSequences: lstmLayer.returnSequences,
    recurrentActivation: 'sigmoid',
    kernelInitializer: 'glorotUniform',
    recurrentInitializer: 'glorotUniform',
    unitForgetBias: true,
  });
  let h = tf.layers
    .bidirectional({ layer: lstm as tf.RNN, mergeMode: 'concat', name: lstmLayer.name })
    .apply(input) as tf.SymbolicTensor;
  h = tf.layers
    .dense({
      units: dense.units,
      activation: dense.activation as 'relu' | 'linear',
      kernelInitializer: 'glorotUniform',
      name: dense.name,
    })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.3 }).apply(h) as tf.SymbolicTensor;
  const outputs: tf.SymbolicTensor[] = [
    tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(h) as tf.SymbolicTensor,
  ];
  const losses: Array<string | ((a: tf.Tensor, b: tf.Tensor) => tf.Tensor)> = ['meanSquaredError'];
  if (spec.heads.exercise) {
    outputs.push(
      tf.layers
        .dense({ units: spec.heads.exercise.numClasses, activation: 'softmax', name: 'exercise' })
        .apply(h) as tf.SymbolicTensor,
    );
    // weighted 0.1 like our trainer (tfjs compile has no lossWeights)
    losses.push((yTrue, yPred) => tf.mul(tf.metrics.categoricalCrossentropy(yTrue, yPred), 0.1));
  }
  const model = tf.model({ inputs: input, outputs });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: losses as string[] });
  return model;
}

/** Copy our parameters (IR names) into the stock model, so both compute the same function. */
export function setStockWeights(model: tf.LayersModel, spec: ModelSpec, params: ParamMap): void {
  const l0 = spec.layers[0];
  const d = spec.layers[1];
  if (l0.kind !== 'bilstm' || d.kind !== 'dense') throw new Error('not a standard-model spec');
  const names = [
    `${l0.name}/fw/kernel`,
    `${l0.name}/fw/recurrent_kernel`,
    `${l0.name}/fw/bias`,
    `${l0.name}/bw/kernel`,
    `${l0.name}/bw/recurrent_kernel`,
    `${l0.name}/bw/bias`,
    `${d.name}/kernel`,
    `${d.name}/bias`,
    'score/kernel',
    'score/bias',
    ...(spec.heads.exercise ? ['exercise/kernel', 'exercise/bias'] : []),
  ];
  const current = model.getWeights();
  if (current.length !== names.length)
    throw new Error(`stock model has ${current.length} weights, expected ${names.length}`);
  const ws = names.map((n, i) => tf.tensor(params[n], current[i].shape));
  model.setWeights(ws);
  tf.dispose(ws);
}
