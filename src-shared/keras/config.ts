/**
 * The Keras model config (config.json of a .keras file, or the `model_config` attribute of a legacy .h5) as a
 * flat list of layer nodes with the names of the layers that feed them. Reads Functional and Sequential models
 * in the Keras 3 form (`inbound_nodes: [{args, kwargs}]` with `keras_history`) and the Keras 2 form
 * (`inbound_nodes: [[[name, node, tensor, kwargs], …]]`).
 */
import { KerasFormatError } from './h5';

type Json = Record<string, unknown>;

export interface KerasNode {
  className: string;
  name: string;
  config: Json;
  /** Producer layer names of this node's input tensors, in call order. */
  inputs: string[];
}

export interface KerasGraph {
  modelClass: string;
  nodes: KerasNode[];
  /** Input shape without the batch axis (null = any length). */
  inputShape: Array<number | null>;
  /** Layer names whose outputs are the model outputs, in output order. */
  outputs: string[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Producer names of every Keras tensor inside a Keras 3 inbound node's args/kwargs (depth first, in order). */
function historyNames(v: unknown, out: string[]): void {
  if (Array.isArray(v)) for (const x of v) historyNames(x, out);
  else if (isObj(v)) {
    if (v.class_name === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.keras_history))
      out.push(String(v.config.keras_history[0]));
    else for (const x of Object.values(v)) historyNames(x, out);
  }
}

function inboundNames(layer: Json): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1)
    throw new KerasFormatError(
      `layer "${String(layer.name)}" is called ${nodes.length} times (a shared layer): not supported`,
    );
  const node = nodes[0];
  const out: string[] = [];
  if (isObj(node)) historyNames({ args: node.args, kwargs: node.kwargs }, out);
  else if (Array.isArray(node)) for (const t of node) if (Array.isArray(t)) out.push(String(t[0])); // Keras 2
  return out;
}

function shapeOf(cfg: Json): Array<number | null> | null {
  const s = cfg.batch_shape ?? cfg.batch_input_shape;
  if (Array.isArray(s)) return s.slice(1).map((d) => (typeof d === 'number' ? d : null));
  return null;
}

export function parseKerasConfig(text: string, label: string): KerasGraph {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new KerasFormatError(`${label}: the model config is not valid JSON (${(err as Error).message})`);
  }
  if (!isObj(root) || !isObj(root.config))
    throw new KerasFormatError(`${label}: the model config has no "config" object`);
  const modelClass = String(root.class_name);
  const cfg = root.config;
  const layers = cfg.layers;
  if (!Array.isArray(layers) || layers.length === 0)
    throw new KerasFormatError(`${label}: the model config lists no layers`);
  if (modelClass === 'Sequential') return sequential(layers as Json[], label);
  if (modelClass !== 'Functional' && modelClass !== 'Model') {
    throw new KerasFormatError(
      `${label}: a ${modelClass} model (a subclassed model) cannot be read from its config; save it as a Functional or Sequential model`,
    );
  }
  const nodes: KerasNode[] = [];
  let inputShape: Array<number | null> | null = null;
  for (const l of layers as Json[]) {
    const config = isObj(l.config) ? l.config : {};
    const name = String(l.name ?? config.name);
    if (l.class_name === 'InputLayer') {
      if (inputShape)
        throw new KerasFormatError(
          `${label}: the model has more than one input; a scoring model takes one keypoint tensor`,
        );
      inputShape = shapeOf(config);
    }
    nodes.push({ className: String(l.class_name), name, config, inputs: inboundNames(l) });
  }
  if (!inputShape) throw new KerasFormatError(`${label}: the model config has no InputLayer with a shape`);
  const outs = cfg.output_layers;
  // One output is written [name, 0, 0]; several as [[name, 0, 0], …].
  const outputs = Array.isArray(outs)
    ? Array.isArray(outs[0])
      ? (outs as unknown[][]).map((o) => String(o[0]))
      : [String(outs[0])]
    : [];
  if (!outputs.length) throw new KerasFormatError(`${label}: the model config names no outputs`);
  return { modelClass, nodes, inputShape, outputs };
}

function sequential(layers: Json[], label: string): KerasGraph {
  const nodes: KerasNode[] = [];
  let inputShape: Array<number | null> | null = null;
  let prev: string | null = null;
  for (const l of layers) {
    const config = isObj(l.config) ? l.config : {};
    const name = String(config.name ?? l.name);
    const shape =
      shapeOf(config) ??
      (isObj(l.build_config) && Array.isArray(l.build_config.input_shape)
        ? shapeOf({ batch_shape: l.build_config.input_shape })
        : null);
    if (!inputShape && shape) inputShape = shape;
    nodes.push({ className: String(l.class_name), name, config, inputs: prev ? [prev] : [] });
    prev = name;
  }
  if (!inputShape)
    throw new KerasFormatError(
      `${label}: the Sequential model does not record its input shape (build it or give it an Input)`,
    );
  return { modelClass: 'Sequential', nodes, inputShape, outputs: [prev as string] };
}

/** Keras' class-name → snake_case rule (keras.src.utils.naming.to_snake_case): the weight-file names in a .keras. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
