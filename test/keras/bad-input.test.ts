/** Bad Keras files get a clear message naming the problem; nothing is returned half-read. */
import { describe, expect, it } from 'vitest';
import { importKerasModel, KerasFormatError, UnsupportedKerasError } from '../../src-shared/keras';
import { importKerasBytes, kerasSource } from '../../src-main/models/keras-file';
import { fixtureBytes, KERAS_DIR } from './fixtures';

async function standardParts(): Promise<{ config: Record<string, unknown>; weights: Uint8Array }> {
  const src = await kerasSource(fixtureBytes('standard.keras'), 'standard.keras');
  if (src.kind !== 'keras') throw new Error('expected a .keras archive');
  return { config: JSON.parse(src.configJson) as Record<string, unknown>, weights: src.weightsH5 };
}

type Layer = { class_name: string; name: string; config: Record<string, unknown> };
const layersOf = (c: Record<string, unknown>) => (c.config as { layers: Layer[] }).layers;

describe.skipIf(!KERAS_DIR)('bad Keras input', () => {
  it('a truncated .keras archive', async () => {
    const b = fixtureBytes('standard.keras');
    await expect(importKerasBytes(b.subarray(0, b.length >> 1), 'half.keras')).rejects.toThrow(
      /half\.keras is not a readable \.keras archive/,
    );
  });

  it('a truncated .h5', async () => {
    const b = fixtureBytes('standard.h5');
    await expect(importKerasBytes(b.subarray(0, 200_000), 'half.h5')).rejects.toThrow(KerasFormatError);
    await expect(importKerasBytes(b.subarray(0, 200_000), 'half.h5')).rejects.toThrow(/half\.h5/);
  });

  it('bytes that are neither', async () => {
    await expect(importKerasBytes(new TextEncoder().encode('hello, this is not a model'), 'notes.h5')).rejects.toThrow(
      /notes\.h5 is not an HDF5 file/,
    );
  });

  it('an unsupported layer names the layer and lists what is supported', async () => {
    const { config, weights } = await standardParts();
    const dense = layersOf(config).find((l) => l.class_name === 'Dense' && l.name === 'dense')!;
    dense.class_name = 'Conv1D';
    await expect(
      importKerasModel({ kind: 'keras', configJson: JSON.stringify(config), weightsH5: weights }, 'conv.keras'),
    ).rejects.toThrow(/layer "dense" \(Conv1D\) is not supported; supported layers: .*Bidirectional/);
  });

  it('an unsupported option names the layer and the option', async () => {
    const { config, weights } = await standardParts();
    const bi = layersOf(config).find((l) => l.class_name === 'Bidirectional')!;
    (bi.config.layer as { config: Record<string, unknown> }).config.recurrent_activation = 'hard_sigmoid';
    await expect(
      importKerasModel({ kind: 'keras', configJson: JSON.stringify(config), weightsH5: weights }, 'x.keras'),
    ).rejects.toThrow(UnsupportedKerasError);
    await expect(
      importKerasModel({ kind: 'keras', configJson: JSON.stringify(config), weightsH5: weights }, 'x.keras'),
    ).rejects.toThrow(/recurrent_activation="hard_sigmoid"/);
  });

  it('an input of [N, 24, 33, 4] is explained and the reshape offered', async () => {
    const { config, weights } = await standardParts();
    layersOf(config)[0].config.batch_shape = [null, 24, 33, 4];
    const src = { kind: 'keras' as const, configJson: JSON.stringify(config), weightsH5: weights };
    await expect(importKerasModel(src, 'grid.keras')).rejects.toThrow(/\[N, 24, 33, 4\].*same order.*--reshape-input/);
  });

  it('another input shape is explained', async () => {
    const { config, weights } = await standardParts();
    layersOf(config)[0].config.batch_shape = [null, 24, 99];
    await expect(
      importKerasModel({ kind: 'keras', configJson: JSON.stringify(config), weightsH5: weights }, 'w.keras'),
    ).rejects.toThrow(/takes input \[N, 24, 99\], but a scoring model takes \[N, frames, 132\]/);
  });

  it('an exercise head that is not 14 wide needs class names', async () => {
    const { config, weights } = await standardParts();
    const ex = layersOf(config).find((l) => l.name === 'exercise_type')!;
    ex.config.units = 3;
    await expect(
      importKerasModel({ kind: 'keras', configJson: JSON.stringify(config), weightsH5: weights }, 'three.keras'),
    ).rejects.toThrow(/has 3 classes .*--class-names/);
  });
});

describe.skipIf(!KERAS_DIR)('the input reshape', () => {
  it('[N, 24, 33, 4] with a first Reshape to [24, 132] imports with reshapeInput and computes the same', async () => {
    const { config, weights } = await standardParts();
    const layers = layersOf(config);
    layers[0].config.batch_shape = [null, 24, 33, 4];
    const tensor = (from: string, shape: unknown[]) => ({
      class_name: '__keras_tensor__',
      config: { shape, dtype: 'float32', keras_history: [from, 0, 0] },
    });
    const reshape = {
      class_name: 'Reshape',
      name: 'reshape',
      config: { name: 'reshape', target_shape: [24, 132] },
      inbound_nodes: [{ args: [tensor('keypoints', [null, 24, 33, 4])], kwargs: {} }],
    };
    const bi = layers.find((l) => l.class_name === 'Bidirectional') as Layer & { inbound_nodes: unknown[] };
    bi.inbound_nodes = [{ args: [tensor('reshape', [null, 24, 132])], kwargs: {} }];
    layers.splice(1, 0, reshape as unknown as Layer);
    const src = { kind: 'keras' as const, configJson: JSON.stringify(config), weightsH5: weights };
    await expect(importKerasModel(src, 'grid.keras')).rejects.toThrow(/reshape/i);
    const grid = await importKerasModel(src, 'grid.keras', { reshapeInput: true });
    const plain = await importKerasModel(
      { kind: 'keras', configJson: JSON.stringify((await standardParts()).config), weightsH5: weights },
      'plain.keras',
    );
    expect(grid.saved.spec.layers).toEqual(plain.saved.spec.layers);
    const same = (a: Float32Array, b: Float32Array) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    for (const k of Object.keys(plain.saved.params))
      expect(same(grid.saved.params[k], plain.saved.params[k]), k).toBe(true);
  });
});
