/**
 * A layer's weights in Keras' `layer.weights` order, from either file form:
 *  - .keras (Keras 3): model.weights.h5 holds `layers/<snake_case(class)>[_k]/…/vars/<i>`, where the k-th layer
 *    of a class (in the model's layer order) gets the suffix _k: the weight file does not use the layer names.
 *    Nested layers keep their own folders (Bidirectional: forward_layer/cell, backward_layer/cell; LSTM: cell;
 *    MultiHeadAttention: query_dense, key_dense, value_dense, output_dense).
 *  - legacy .h5: `model_weights/<layer name>` with a `weight_names` attribute listing the datasets in order.
 */
import { KerasFormatError, type H5Array, type H5Source } from './h5';
import { toSnakeCase, type KerasNode } from './config';

export interface LayerWeights {
  /** The layer's weights in `layer.weights` order. */
  arrays(node: KerasNode): H5Array[];
}

const SUBFOLDERS: Record<string, string[]> = {
  Bidirectional: ['forward_layer/cell', 'backward_layer/cell'],
  LSTM: ['cell'],
  MultiHeadAttention: ['query_dense', 'key_dense', 'value_dense', 'output_dense'],
};

/** Weights of a Keras 3 `.keras` archive's model.weights.h5. */
export function kerasV3Weights(h5: H5Source, nodes: KerasNode[], label: string): LayerWeights {
  const used = new Map<string, number>();
  const folder = new Map<string, string>();
  for (const n of nodes) {
    if (n.className === 'InputLayer') continue;
    const base = toSnakeCase(n.className);
    const k = used.get(base);
    used.set(base, k === undefined ? 0 : k + 1);
    folder.set(n.name, k === undefined ? base : `${base}_${k + 1}`);
  }
  return {
    arrays(node) {
      const f = folder.get(node.name);
      if (!f) return [];
      const out: H5Array[] = [];
      for (const sub of SUBFOLDERS[node.className] ?? ['']) {
        const dir = `/layers/${f}${sub ? `/${sub}` : ''}/vars`;
        const names = h5.keys(dir);
        for (let i = 0; i < names.length; i++) {
          const a = h5.dataset(`${dir}/${i}`);
          if (!a) throw new KerasFormatError(`${label}: weight ${dir}/${i} of layer "${node.name}" is missing`);
          out.push(a);
        }
      }
      return out;
    },
  };
}

/** Weights of a legacy HDF5 (.h5) model file. */
export function legacyH5Weights(h5: H5Source, label: string): LayerWeights {
  const root = h5.keys('/').includes('model_weights') ? '/model_weights' : '';
  return {
    arrays(node) {
      const group = `${root}/${node.name}`;
      const raw = h5.attr(group, 'weight_names');
      if (raw === undefined) return [];
      const names = (Array.isArray(raw) ? raw : [raw]).map(String);
      return names.map((wn) => {
        const a = h5.dataset(`${group}/${wn}`);
        if (!a) throw new KerasFormatError(`${label}: weight ${group}/${wn} of layer "${node.name}" is missing`);
        return a;
      });
    },
  };
}
