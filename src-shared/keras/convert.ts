/**
 * Keras layer graph → the app's model IR (src-shared/model/architecture.ts) and its parameters.
 * The IR is one chain of layers and two heads, so the graph must be a chain too; the one branch allowed is the
 * attention residual `Add([x, MultiHeadAttention(x, x)])`. Every layer option that would change the maths and
 * that the IR cannot express is refused with the layer's name and the option.
 */
import { DENSE_ACTIVATIONS, type DenseActivation, type LayerSpec } from '../model/architecture';
import type { ParamMap, ShapeMap } from '../model/serialize';
import { KerasFormatError, type H5Array } from './h5';
import type { KerasNode } from './config';
import type { LayerWeights } from './weights';

type Json = Record<string, unknown>;

export class UnsupportedKerasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedKerasError';
  }
}

export interface ChainResult {
  layers: LayerSpec[];
  params: ParamMap;
  shapes: ShapeMap;
  /** Name of the layer whose output feeds the heads. */
  trunkEnd: string;
  /** Feature width at the end of the trunk. */
  features: number;
}

export const SUPPORTED_LAYERS = [
  'InputLayer',
  'LSTM (inside Bidirectional)',
  'Bidirectional',
  'Dense',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
  'MultiHeadAttention',
  'Add (attention residual)',
  'GlobalAveragePooling1D',
  'Flatten',
  'Reshape',
  'Rescaling',
];

const ACTIVATION_ALIASES: Record<string, DenseActivation> = { swish: 'silu', linear: 'linear' };

export function denseActivation(node: KerasNode): DenseActivation {
  const a = node.config.activation ?? 'linear';
  const name = typeof a === 'string' ? (ACTIVATION_ALIASES[a] ?? a) : null;
  if (name && (DENSE_ACTIVATIONS as readonly string[]).includes(name)) return name as DenseActivation;
  throw unsupported(node, `activation ${JSON.stringify(a)}`, `supported: ${DENSE_ACTIVATIONS.join(', ')}, swish`);
}

function unsupported(node: KerasNode, option: string, hint = ''): UnsupportedKerasError {
  return new UnsupportedKerasError(
    `layer "${node.name}" (${node.className}): ${option} is not supported${hint ? ` (${hint})` : ''}`,
  );
}

/** Refuse a config option unless it has one of the accepted values (undefined = the option is absent). */
function expect(node: KerasNode, cfg: Json, key: string, ...ok: unknown[]): void {
  const v = cfg[key];
  if (v === undefined) return;
  if (!ok.some((o) => JSON.stringify(o) === JSON.stringify(v)))
    throw unsupported(node, `${key}=${JSON.stringify(v)}`, `expected ${ok.map((o) => JSON.stringify(o)).join(' or ')}`);
}

const lastAxis = (v: unknown, rank: number) =>
  v === -1 || v === rank || (Array.isArray(v) && v.length === 1 && (v[0] === -1 || v[0] === rank));

class ParamSink {
  readonly params: ParamMap = {};
  readonly shapes: ShapeMap = {};
  put(name: string, a: H5Array | Float32Array, shape: number[]): void {
    const data = a instanceof Float32Array ? a : a.data;
    const n = shape.reduce((p, d) => p * d, 1);
    if (data.length !== n)
      throw new KerasFormatError(`weight ${name}: ${data.length} values, expected shape [${shape}]`);
    this.params[name] = data;
    this.shapes[name] = shape;
  }
}

/**
 * Walk the trunk (every node but the InputLayer and the head layers) in config order.
 * `inputName` is the InputLayer's name; `reshapeInput` accepts a first Reshape from [T, 33, 4] to [T, 132].
 */
export function convertChain(
  nodes: KerasNode[],
  heads: Set<string>,
  inputName: string,
  numFrames: number,
  inputFeatures: number,
  weights: LayerWeights,
): ChainResult {
  const sink = new ParamSink();
  const layers: LayerSpec[] = [];
  let cur = inputName;
  let shape: number[] = [numFrames, inputFeatures];
  let mha: { name: string; input: string; index: number } | null = null;
  for (const node of nodes) {
    if (node.className === 'InputLayer' || heads.has(node.name)) continue;
    const cfg = node.config;
    const feat = shape[shape.length - 1];
    const w = () => weights.arrays(node);
    if (node.className === 'Add') {
      const ins = [...node.inputs].sort();
      if (!mha || cur !== mha.name || ins.length !== 2 || ins.join() !== [mha.input, mha.name].sort().join()) {
        throw unsupported(
          node,
          `adding ${node.inputs.join(' + ')}`,
          'the only Add the app can run is the attention residual Add([x, MultiHeadAttention(x, x)])',
        );
      }
      const att = layers[mha.index];
      if (att.kind === 'attention') att.residual = true;
      cur = node.name;
      continue;
    }
    if (node.className === 'Concatenate') {
      throw unsupported(
        node,
        `joining ${node.inputs.join(', ')}`,
        "a Concatenate of branches has no equivalent in the app's chain of layers; Bidirectional(LSTM) covers the usual two-direction case",
      );
    }
    if (node.className === 'MultiHeadAttention') {
      if (node.inputs.length < 2 || node.inputs.some((i) => i !== cur))
        throw unsupported(
          node,
          `inputs ${node.inputs.join(', ')}`,
          'only self-attention (query = value = key = the previous layer) is supported',
        );
    } else if (node.inputs.length !== 1 || node.inputs[0] !== cur) {
      throw unsupported(
        node,
        `input from ${node.inputs.join(', ') || 'nothing'}`,
        `the layers must form one chain; the previous layer is "${cur}"`,
      );
    }
    switch (node.className) {
      case 'Dropout':
      case 'SpatialDropout1D':
      case 'GaussianNoise':
      case 'GaussianDropout':
        layers.push({ kind: 'dropout', rate: Number(cfg.rate ?? cfg.stddev ?? 0) });
        break;
      case 'Dense': {
        const units = Number(cfg.units);
        const a = w();
        const bias = cfg.use_bias === false ? new Float32Array(units) : a[1]?.data;
        if (!a[0] || !bias)
          throw new KerasFormatError(`layer "${node.name}" (Dense): the weight file lacks its kernel or bias`);
        layers.push({ kind: 'dense', name: node.name, units, activation: denseActivation(node) });
        sink.put(`${node.name}/kernel`, a[0], [feat, units]);
        sink.put(`${node.name}/bias`, bias, [units]);
        shape = [...shape.slice(0, -1), units];
        break;
      }
      case 'Bidirectional':
        shape = bidirectional(node, shape, w(), sink, layers);
        break;
      case 'LSTM':
        throw unsupported(node, 'a one-direction LSTM', 'wrap it in Bidirectional, or train the model with the app');
      case 'BatchNormalization': {
        if (!lastAxis(cfg.axis ?? -1, shape.length))
          throw unsupported(node, `axis=${JSON.stringify(cfg.axis)}`, 'only the last (feature) axis');
        const a = w();
        const scale = cfg.scale !== false;
        const center = cfg.center !== false;
        const expected = 2 + (scale ? 1 : 0) + (center ? 1 : 0);
        if (a.length !== expected)
          throw new KerasFormatError(
            `layer "${node.name}" (BatchNormalization): ${a.length} weights in the file, expected ${expected}`,
          );
        let i = 0;
        sink.put(`${node.name}/gamma`, scale ? a[i++] : new Float32Array(feat).fill(1), [feat]);
        sink.put(`${node.name}/beta`, center ? a[i++] : new Float32Array(feat), [feat]);
        sink.put(`${node.name}/moving_mean`, a[i++], [feat]);
        sink.put(`${node.name}/moving_variance`, a[i++], [feat]);
        layers.push({
          kind: 'batchNorm',
          name: node.name,
          epsilon: Number(cfg.epsilon ?? 1e-3),
          momentum: Number(cfg.momentum ?? 0.99),
        });
        break;
      }
      case 'LayerNormalization': {
        if (!lastAxis(cfg.axis ?? -1, shape.length))
          throw unsupported(node, `axis=${JSON.stringify(cfg.axis)}`, 'only the last (feature) axis');
        expect(node, cfg, 'rms_scaling', false);
        const a = w();
        const scale = cfg.scale !== false;
        const center = cfg.center !== false;
        let i = 0;
        sink.put(`${node.name}/gamma`, scale ? a[i++] : new Float32Array(feat).fill(1), [feat]);
        sink.put(`${node.name}/beta`, center ? a[i++] : new Float32Array(feat), [feat]);
        layers.push({ kind: 'layerNorm', name: node.name, epsilon: Number(cfg.epsilon ?? 1e-3) });
        break;
      }
      case 'MultiHeadAttention': {
        if (shape.length !== 2) throw unsupported(node, 'a non-sequence input');
        const heads = Number(cfg.num_heads);
        const keyDim = Number(cfg.key_dim);
        expect(node, cfg, 'value_dim', null, keyDim);
        expect(node, cfg, 'output_shape', null);
        expect(node, cfg, 'attention_axes', null, [1]);
        expect(node, cfg, 'use_bias', true);
        expect(node, cfg, 'use_gate', false);
        expect(node, cfg, 'sliding_window', null);
        const a = w();
        if (a.length !== 8)
          throw new KerasFormatError(
            `layer "${node.name}" (MultiHeadAttention): ${a.length} weights in the file, expected 8`,
          );
        const hk = heads * keyDim;
        (['q', 'k', 'v'] as const).forEach((p, j) => {
          sink.put(`${node.name}/w${p}`, a[2 * j], [feat, hk]);
          sink.put(`${node.name}/b${p}`, a[2 * j + 1], [hk]);
        });
        sink.put(`${node.name}/wo`, a[6], [hk, feat]);
        sink.put(`${node.name}/bo`, a[7], [feat]);
        mha = { name: node.name, input: cur, index: layers.length };
        layers.push({ kind: 'attention', name: node.name, heads, keyDim, residual: false });
        break;
      }
      case 'GlobalAveragePooling1D':
        expect(node, cfg, 'data_format', 'channels_last');
        expect(node, cfg, 'keepdims', false);
        if (shape.length !== 2) throw unsupported(node, 'a non-sequence input');
        layers.push({ kind: 'globalAvgPool' });
        shape = [feat];
        break;
      case 'Flatten':
        if (shape.length === 2) {
          layers.push({ kind: 'flatten' });
          shape = [shape[0] * shape[1]];
        }
        break;
      case 'Reshape': {
        const target = (Array.isArray(cfg.target_shape) ? cfg.target_shape : []).map(Number);
        const size = shape.reduce((p, d) => p * d, 1);
        const same = target.length === shape.length && target.every((d, i) => d === shape[i]);
        if (same) break;
        if (target.length === 1 && (target[0] === size || target[0] === -1) && shape.length === 2) {
          layers.push({ kind: 'flatten' });
          shape = [size];
          break;
        }
        throw unsupported(
          node,
          `target_shape=${JSON.stringify(cfg.target_shape)} on [${shape}]`,
          'only a flatten to one axis, or the input reshape [T,33,4] → [T,132]',
        );
      }
      case 'Rescaling': {
        const s = cfg.scale ?? 1;
        const o = cfg.offset ?? 0;
        if (typeof s !== 'number' || typeof o !== 'number')
          throw unsupported(
            node,
            `scale=${JSON.stringify(s)} / offset=${JSON.stringify(o)}`,
            'only scalar scale and offset',
          );
        layers.push({ kind: 'rescale', scale: s, offset: o });
        break;
      }
      default:
        throw new UnsupportedKerasError(
          `layer "${node.name}" (${node.className}) is not supported; supported layers: ${SUPPORTED_LAYERS.join(', ')}`,
        );
    }
    cur = node.name;
  }
  return { layers, params: sink.params, shapes: sink.shapes, trunkEnd: cur, features: shape[shape.length - 1] };
}

function bidirectional(node: KerasNode, shape: number[], a: H5Array[], sink: ParamSink, layers: LayerSpec[]): number[] {
  const cfg = node.config;
  const inner = cfg.layer as Json | undefined;
  const ic = (inner?.config ?? {}) as Json;
  const innerNode: KerasNode = { ...node, className: `Bidirectional(${String(inner?.class_name)})`, config: ic };
  if (inner?.class_name !== 'LSTM')
    throw unsupported(node, `wrapping ${String(inner?.class_name)}`, 'only Bidirectional(LSTM)');
  if (shape.length !== 2) throw unsupported(node, 'a non-sequence input');
  expect(node, cfg, 'merge_mode', 'concat');
  expect(innerNode, ic, 'activation', 'tanh');
  expect(innerNode, ic, 'recurrent_activation', 'sigmoid');
  expect(innerNode, ic, 'return_state', false);
  expect(innerNode, ic, 'stateful', false);
  expect(innerNode, ic, 'go_backwards', false);
  expect(innerNode, ic, 'time_major', false);
  const back = cfg.backward_layer as Json | undefined;
  if (back && isBackwardOk(back, ic) === false)
    throw unsupported(node, 'a backward_layer that differs from the forward layer');
  const units = Number(ic.units);
  const useBias = ic.use_bias !== false;
  const per = useBias ? 3 : 2;
  if (a.length !== 2 * per)
    throw new KerasFormatError(
      `layer "${node.name}" (Bidirectional): ${a.length} weights in the file, expected ${2 * per}`,
    );
  const D = shape[1];
  ['fw', 'bw'].forEach((d, j) => {
    sink.put(`${node.name}/${d}/kernel`, a[j * per], [D, 4 * units]);
    sink.put(`${node.name}/${d}/recurrent_kernel`, a[j * per + 1], [units, 4 * units]);
    sink.put(`${node.name}/${d}/bias`, useBias ? a[j * per + 2] : new Float32Array(4 * units), [4 * units]);
  });
  const returnSequences = ic.return_sequences === true;
  layers.push({ kind: 'bilstm', name: node.name, units, returnSequences });
  return returnSequences ? [shape[0], 2 * units] : [2 * units];
}

function isBackwardOk(back: Json, fw: Json): boolean {
  const b = (back.config ?? {}) as Json;
  return (
    back.class_name === 'LSTM' &&
    b.units === fw.units &&
    b.activation === fw.activation &&
    b.recurrent_activation === fw.recurrent_activation &&
    b.return_sequences === fw.return_sequences
  );
}
