import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-shared/tflite/graph';
import { writeTflite } from '../../src-shared/tflite/writer';
import { checkScoringSignature } from '../../src-shared/tflite/signature';
import { exportTflite, type ExportArchitecture } from '../../src-shared/tflite/exporter';
import { TensorType } from '../../src-shared/tflite/schema';
import { randomParams } from './reference';

const arch: ExportArchitecture = {
  kind: 'tiny',
  numFrames: 6,
  numExercises: 14,
  layers: [{ kind: 'bilstm', name: 'l', units: 4, returnSequences: true }, { kind: 'globalAvgPool' }],
};

function custom(opts: {
  inShape?: number[];
  inType?: number;
  outs?: { name: string; shape: number[] }[];
  sig?: boolean;
  customOp?: string;
}): Uint8Array {
  const g = new GraphBuilder();
  const x = g.addTensor('keypoints', opts.inShape ?? [1, 24, 132], opts.inType ?? TensorType.FLOAT32);
  const outs = (opts.outs ?? [{ name: 'score', shape: [1, 1] }]).map((o) => ({
    name: o.name,
    tensor: g.addTensor(o.name, o.shape),
  }));
  for (const o of outs) g.op(0, [x, x], [o.tensor], { type: 'AddOptions' });
  const spec = g.toModel({ inputs: [{ name: 'keypoints', tensor: x }], outputs: outs });
  if (opts.sig === false) spec.signatureDefs = [];
  if (opts.customOp) spec.operatorCodes.push({ builtinCode: 32, version: 1, customCode: opts.customOp });
  return writeTflite(spec);
}

describe('checkScoringSignature', () => {
  it('accepts our own export and reads its metadata', () => {
    const ex = exportTflite(arch, randomParams(arch, 1), {
      exerciseLabels: Array.from({ length: 14 }, (_, i) => `e${i}`),
    });
    const c = checkScoringSignature(ex.bytes);
    expect(c.errors).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c).toMatchObject({
      signatureKey: 'serving_default',
      inputName: 'keypoints',
      numFrames: 6,
      scoreOutput: 'score',
      probsOutput: 'exercise_probs',
      numExercises: 14,
    });
    expect(c.formStudio?.numFrames).toBe(6);
    expect((c.formStudio?.exerciseLabels as string[]).length).toBe(14);
  });

  it('accepts a score-only model', () => {
    const c = checkScoringSignature(custom({}));
    expect(c.ok).toBe(true);
    expect(c.probsOutput).toBeUndefined();
    expect(c.numFrames).toBe(24);
  });

  it('explains wrong inputs', () => {
    expect(checkScoringSignature(custom({ inShape: [1, 132, 24] })).errors.join()).toMatch(/swapped/);
    expect(checkScoringSignature(custom({ inShape: [24, 132] })).errors.join()).toMatch(/without a batch dimension/);
    expect(checkScoringSignature(custom({ inShape: [1, 24, 99] })).errors.join()).toMatch(
      /99 features per frame; expected 132/,
    );
    expect(checkScoringSignature(custom({ inShape: [-1, 24, 132] })).errors.join()).toMatch(/batch must be fixed at 1/);
    expect(checkScoringSignature(custom({ inType: TensorType.INT8 })).errors.join()).toMatch(
      /int8; it must be float32/,
    );
  });

  it('explains wrong outputs, custom ops and non-TFLite files', () => {
    const noScore = checkScoringSignature(custom({ outs: [{ name: 'logits', shape: [1, 14] }] }));
    expect(noScore.ok).toBe(false);
    expect(noScore.errors.join()).toMatch(/no "score" output.*"logits" \[1, 14\]/);
    const probs = checkScoringSignature(
      custom({
        outs: [
          { name: 'score', shape: [1, 1] },
          { name: 'exercise_probs', shape: [14] },
        ],
      }),
    );
    expect(probs.errors.join()).toMatch(/must be \[1, K\]/);
    const flex = checkScoringSignature(custom({ customOp: 'FlexErf' }));
    expect(flex.errors.join()).toMatch(/custom operators \(FlexErf\).*select-ops/);
    const junk = checkScoringSignature(new TextEncoder().encode('this is not a model at all'));
    expect(junk.ok).toBe(false);
    expect(junk.errors[0]).toMatch(/not a TFLite model/);
  });

  it('falls back to subgraph tensor names without a SignatureDef', () => {
    const c = checkScoringSignature(custom({ sig: false }));
    expect(c.ok).toBe(true);
    expect(c.warnings.join()).toMatch(/no SignatureDef/);
  });
});
