/**
 * Import a Keras model (Keras 3 `.keras` — the caller unzips config.json and model.weights.h5 — or a legacy
 * `.h5`) as the app's own model: a ModelSpec + parameters (SavedModel) that scores and exports like a trained one.
 * Heads: the [N,1] output is the score (sigmoid → ×100, linear → as is, `scoreScale` overrides); the [N,K]
 * softmax output is the exercise head (K = 14 → the toolkit's exercise types in its guide's order; otherwise the
 * caller names the classes). Nothing is returned unless the whole model was read.
 */
import { EXERCISE_TYPES } from '../domain/exercises';
import { FEATURES_PER_FRAME, DEFAULT_NUM_FRAMES } from '../keypoints/format';
import { layerOutputShapes, type ModelSpec } from '../model/architecture';
import type { SavedModel } from '../model/serialize';
import { openH5, KerasFormatError, type H5Source } from './h5';
import { parseKerasConfig, type KerasGraph, type KerasNode } from './config';
import { kerasV3Weights, legacyH5Weights, type LayerWeights } from './weights';
import { convertChain, denseActivation, UnsupportedKerasError } from './convert';

export { KerasFormatError, UnsupportedKerasError };

export interface KerasImportOptions {
  /** Multiply the score head's output by this (default: 100 for a sigmoid head, 1 for a linear one). */
  scoreScale?: number;
  /** Class names of an exercise head whose width is not 14. */
  classNames?: readonly string[];
  /** Accept an input of [T, 33, 4] whose first layer reshapes it to [T, 132] (the same values in the same order). */
  reshapeInput?: boolean;
  /** Frames per clip when the model accepts any length (default 24). */
  numFrames?: number;
}

export type KerasSource =
  { kind: 'keras'; configJson: string; weightsH5: Uint8Array } | { kind: 'h5'; bytes: Uint8Array };

export interface KerasImport {
  saved: SavedModel;
  /** What was read, for the import report and the model's metadata. */
  summary: {
    layers: string[];
    outputs: Array<{ name: string; role: 'score' | 'exercise'; units: number; activation: string }>;
    numFrames: number;
  };
}

export async function importKerasModel(
  src: KerasSource,
  label: string,
  opts: KerasImportOptions = {},
): Promise<KerasImport> {
  let h5: H5Source | null = null;
  try {
    let graph: KerasGraph;
    let weights: LayerWeights;
    let kerasVersion: string | undefined;
    if (src.kind === 'keras') {
      graph = parseKerasConfig(src.configJson, label);
      h5 = await openH5(src.weightsH5, `${label}: model.weights.h5`);
      weights = kerasV3Weights(h5, graph.nodes, label);
    } else {
      h5 = await openH5(src.bytes, label);
      const cfg = h5.attr('/', 'model_config');
      if (typeof cfg !== 'string')
        throw new KerasFormatError(
          `${label} holds weights only (no model_config attribute); save the whole model with model.save("model.h5") or as .keras`,
        );
      graph = parseKerasConfig(cfg, label);
      weights = legacyH5Weights(h5, label);
      const v = h5.attr('/', 'keras_version');
      kerasVersion = typeof v === 'string' ? v : undefined;
    }
    return build(graph, weights, label, opts, src.kind, kerasVersion);
  } finally {
    h5?.close();
  }
}

function inputContract(graph: KerasGraph, label: string, opts: KerasImportOptions): { numFrames: number } {
  const s = graph.inputShape;
  const frames = s[0] ?? opts.numFrames ?? DEFAULT_NUM_FRAMES;
  if (s.length === 2 && s[1] === FEATURES_PER_FRAME) return { numFrames: frames };
  if (s.length === 3 && s[1] === 33 && s[2] === 4) {
    if (opts.reshapeInput) return { numFrames: frames };
    throw new UnsupportedKerasError(
      `${label} takes input [N, ${s.map((d) => d ?? '?').join(', ')}] (33 landmarks × x, y, z, visibility as separate axes); the app feeds [N, frames, 132] with the same values in the same order (landmark-major), so [N, ${frames}, 132] reshaped to [N, ${frames}, 33, 4] is exactly this model's input. Import again with the input reshape (Models → Import → "Reshape input", CLI --reshape-input) if its first layer is a Reshape to [${frames}, 132].`,
    );
  }
  throw new UnsupportedKerasError(
    `${label} takes input [N, ${s.map((d) => d ?? '?').join(', ')}], but a scoring model takes [N, frames, 132]: per frame the 33 MediaPipe landmarks × (x, y, z, visibility), landmark-major.`,
  );
}

function build(
  graph: KerasGraph,
  weights: LayerWeights,
  label: string,
  opts: KerasImportOptions,
  format: 'keras' | 'h5',
  kerasVersion?: string,
): KerasImport {
  const { numFrames } = inputContract(graph, label, opts);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const outs = graph.outputs.map((name) => {
    const n = byName.get(name);
    if (!n) throw new KerasFormatError(`${label}: output layer "${name}" is not in the config`);
    if (n.className !== 'Dense')
      throw new UnsupportedKerasError(
        `output "${name}" is a ${n.className}; the outputs must be Dense heads ([N,1] score, [N,K] softmax exercise)`,
      );
    return { node: n, units: Number(n.config.units), activation: denseActivation(n) };
  });
  const scoreOuts = outs.filter((o) => o.units === 1);
  const exOuts = outs.filter((o) => o.units > 1);
  const describe = () => outs.map((o) => `"${o.node.name}" [N,${o.units}] ${o.activation}`).join(', ');
  if (scoreOuts.length !== 1) {
    throw new UnsupportedKerasError(
      `${label}: ${scoreOuts.length ? 'more than one' : 'no'} [N,1] score output among ${describe()}; a scoring model has exactly one`,
    );
  }
  if (exOuts.length > 1)
    throw new UnsupportedKerasError(
      `${label}: more than one [N,K] output (${describe()}); the app reads one exercise head`,
    );
  const score = scoreOuts[0];
  if (score.activation !== 'sigmoid' && score.activation !== 'linear') {
    throw new UnsupportedKerasError(
      `score output "${score.node.name}": activation ${score.activation} (only sigmoid or linear)`,
    );
  }
  const ex = exOuts[0];
  if (ex && ex.activation !== 'softmax')
    throw new UnsupportedKerasError(
      `exercise output "${ex.node.name}" [N,${ex.units}]: activation ${ex.activation}, expected softmax`,
    );
  let labels: string[] | undefined;
  if (ex) {
    if (opts.classNames?.length) {
      if (opts.classNames.length !== ex.units)
        throw new UnsupportedKerasError(
          `${opts.classNames.length} class names given, but the exercise head "${ex.node.name}" has ${ex.units} classes`,
        );
      labels = [...opts.classNames];
    } else if (ex.units === EXERCISE_TYPES.length) labels = [...EXERCISE_TYPES];
    else
      throw new UnsupportedKerasError(
        `the exercise head "${ex.node.name}" has ${ex.units} classes (not the toolkit's 14): name them in order (Models → Import, CLI --class-names a,b,c)`,
      );
  }
  const inputNode = graph.nodes.find((n) => n.className === 'InputLayer');
  const heads = new Set(outs.map((o) => o.node.name));
  const chain = convertChain(graph.nodes, heads, inputNode?.name ?? '', numFrames, FEATURES_PER_FRAME, weights);
  for (const o of outs) {
    if (o.node.inputs.length !== 1 || o.node.inputs[0] !== chain.trunkEnd) {
      throw new UnsupportedKerasError(
        `output "${o.node.name}" reads "${o.node.inputs.join(', ')}", not the last trunk layer "${chain.trunkEnd}": the heads must share one input`,
      );
    }
  }
  const { params, shapes } = chain;
  const put = (name: string, n: KerasNode, units: number) => {
    const a = weights.arrays(n);
    if (!a[0]) throw new KerasFormatError(`${label}: the weights of output "${n.name}" are missing`);
    params[`${name}/kernel`] = a[0].data;
    shapes[`${name}/kernel`] = [chain.features, units];
    params[`${name}/bias`] = n.config.use_bias === false ? new Float32Array(units) : a[1].data;
    shapes[`${name}/bias`] = [units];
    if (a[0].data.length !== chain.features * units)
      throw new KerasFormatError(
        `${label}: output "${n.name}" kernel has ${a[0].data.length} values, expected ${chain.features}×${units}`,
      );
  };
  put('score', score.node, 1);
  if (ex) put('exercise', ex.node, ex.units);
  const scoreActivation = score.activation as 'sigmoid' | 'linear';
  const scoreScale = opts.scoreScale ?? (scoreActivation === 'sigmoid' ? 100 : 1);
  const spec: ModelSpec = {
    irVersion: 1,
    kind: 'keras',
    numFrames,
    numFeatures: FEATURES_PER_FRAME,
    layers: chain.layers,
    heads: {
      score: { name: 'score', activation: scoreActivation, scale: scoreScale },
      ...(ex ? { exercise: { name: 'exercise' as const, numClasses: ex.units } } : {}),
    },
  };
  layerOutputShapes(spec); // throws on a chain the heads cannot read (e.g. still a sequence)
  const summary: KerasImport['summary'] = {
    layers: chain.layers.map((l) => l.kind),
    outputs: outs.map((o) => ({
      name: o.node.name,
      role: o === score ? 'score' : 'exercise',
      units: o.units,
      activation: o.activation,
    })),
    numFrames,
  };
  const metadata: Record<string, unknown> = {
    source: { format, kerasVersion, modelClass: graph.modelClass, outputs: summary.outputs },
    scoreActivation,
    scoreScale,
    ...(labels ? { exerciseLabels: labels } : {}),
  };
  return { saved: { spec, params, shapes, metadata }, summary };
}
