/**
 * TFLite import by output shape: converter-named outputs are read by shape, look-alikes need the user's choice,
 * no head is dropped silently; the Keras-converted fixture scores like Keras; the Flex one is refused (one period).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-shared/tflite/graph';
import { writeTflite } from '../../src-shared/tflite/writer';
import { checkScoringSignature } from '../../src-shared/tflite/signature';
import { initLiteRt, loadTflite, type LoadedTflite } from '../../src-main/models/tflite-runtime';
import { joinErrors } from '../../src-main/models/model-registry';
import { argmax, expected, fixtureBytes, inputs, KERAS_DIR } from '../keras/fixtures';

function graph(outs: Array<{ name: string; shape: number[] }>): Uint8Array {
  const g = new GraphBuilder();
  const x = g.addTensor('keypoints', [1, 24, 132]);
  const ts = outs.map((o) => ({ name: o.name, tensor: g.addTensor(o.name, o.shape) }));
  for (const o of ts) g.op(0, [x, x], [o.tensor], { type: 'AddOptions' });
  return writeTflite(g.toModel({ inputs: [{ name: 'keypoints', tensor: x }], outputs: ts }));
}

describe('outputs by shape', () => {
  it('converter names: [1,1] is the score and [1,K] the exercise head', () => {
    const c = checkScoringSignature(
      graph([
        { name: 'Identity_1', shape: [1, 5] },
        { name: 'Identity', shape: [1, 1] },
      ]),
    );
    expect(c.ok).toBe(true);
    expect(c).toMatchObject({ scoreOutput: 'Identity', probsOutput: 'Identity_1', numExercises: 5 });
  });

  it('two [1,1] outputs are ambiguous: the message names them; a choice settles it', () => {
    const bytes = graph([
      { name: 'a', shape: [1, 1] },
      { name: 'b', shape: [1, 1] },
    ]);
    const c = checkScoringSignature(bytes);
    expect(c.ok).toBe(false);
    expect(c.errors.join()).toMatch(/2 single-value outputs \("a", "b"\)/);
    expect(c.ambiguousOutputs?.map((o) => o.name)).toEqual(['a', 'b']);
    const chosen = checkScoringSignature(bytes, { scoreOutput: 'b' });
    // "a" has no role now: it is not dropped silently.
    expect(chosen.errors.join()).toMatch(/"a" \[1, 1\] would be dropped/);
  });

  it('two [1,K] outputs are ambiguous; a choice of both roles makes it usable', () => {
    const bytes = graph([
      { name: 's', shape: [1, 1] },
      { name: 'p', shape: [1, 4] },
      { name: 'q', shape: [1, 4] },
    ]);
    expect(checkScoringSignature(bytes).errors.join()).toMatch(/2 outputs of shape \[1, K\]/);
    expect(checkScoringSignature(bytes, { probsOutput: 'q' }).errors.join()).toMatch(/"p" \[1, 4\] would be dropped/);
  });

  it('an unknown extra output is an error, not a warning', () => {
    const c = checkScoringSignature(
      graph([
        { name: 'score', shape: [1, 1] },
        { name: 'embedding', shape: [1, 8, 3] },
      ]),
    );
    expect(c.ok).toBe(false);
    expect(c.errors.join()).toMatch(/"embedding" \[1, 8, 3\] would be dropped/);
  });
});

describe.skipIf(!KERAS_DIR)('the TensorFlow-converted fixtures', () => {
  let m: LoadedTflite | null = null;
  beforeAll(async () => {
    await initLiteRt();
  }, 60_000);
  afterAll(() => m?.dispose());

  it('standard_keras_builtin.tflite: both heads found by shape, the sigmoid score ×100, matches Keras', async () => {
    const e = expected();
    const bytes = fixtureBytes('standard_keras_builtin.tflite');
    const c = checkScoringSignature(bytes);
    expect(c.errors).toEqual([]);
    expect(c.numExercises).toBe(14);
    expect(c.scoreScale).toBe(100);
    m = await loadTflite(bytes);
    const want = e.models['standard.keras'].outputs;
    const X = inputs(e);
    for (let i = 0; i < X.length; i++) {
      const r = await m.run({ [c.inputName!]: X[i] });
      expect(Math.abs(r.outputs[c.scoreOutput!][0] - want.quality_score[i][0])).toBeLessThan(1e-4);
      expect(argmax(r.outputs[c.probsOutput!])).toBe(argmax(want.exercise_type[i]));
    }
  });

  it('standard_toolkit_flex.tflite is refused for its Flex ops, in one sentence per problem', () => {
    const c = checkScoringSignature(fixtureBytes('standard_toolkit_flex.tflite'));
    expect(c.ok).toBe(false);
    const msg = `x.tflite cannot be used to score: ${joinErrors(c.errors)}. A scoring model needs …`;
    expect(msg).toMatch(/Flex ops need the TensorFlow select-ops delegate/);
    expect(msg).not.toMatch(/\.\./);
  });
});
