/**
 * Drops the pose landmark model's segmentation head, which Form Studio never uses.
 *
 * The landmark model has five outputs: landmarks, presence, segmentation mask (1×256×256×1), heat map
 * and world landmarks. MediaPipe only reads the mask when `outputSegmentationMasks` is on (we never
 * turn it on), but the interpreter still runs every op that feeds it: a decoder that upsamples to
 * 256×256 and convolves there. Measured in Chromium, that is ~15–25 % of the full model's time per
 * frame, for a mask we throw away.
 *
 * The mask stays an output (MediaPipe expects five tensors), but its last convolution now reads the
 * head's first 8-channel 64×64 feature map instead of the 256×256 one: the mask shrinks to 1×64×64×1
 * and the 128×128 / 256×256 stages are gone. Ops that feed the other four outputs are untouched, so
 * landmarks, presence, heat map and world landmarks are bit-identical (checked in
 * e2e/pose-bundle.spec.ts against Google's official bundle).
 *
 * Done in place on a copy (the operators vector gets shorter and its entries are re-pointed; the
 * final conv's input index and the mask tensor's shape are overwritten): no ops or tensors are
 * added, so no FlatBuffer has to be rebuilt. Anything unexpected in the model throws.
 *
 * Schema slots: Model.subgraphs 2; SubGraph tensors 0, operators 3; Operator inputs 1; Tensor shape 0.
 */
import { BuiltinOperator } from '../../src-shared/tflite/schema.js';
import { readTflite, type ReadOperator } from '../../src-shared/tflite/reader.js';
import { FbTable } from '../../src-shared/tflite/flatbuffer.js';

export interface PruneReport {
  opsBefore: number;
  opsAfter: number;
  /** Multiply-accumulates per frame (convolutions and fully connected layers). */
  macsBefore: number;
  macsAfter: number;
  maskShapeAfter: number[];
}

const SUBGRAPHS = 2;
const SG_TENSORS = 0;
const SG_OPERATORS = 3;
const OP_INPUTS = 1;
const TENSOR_SHAPE = 0;

export function pruneSegmentationHead(original: Uint8Array): { model: Uint8Array; report: PruneReport } {
  const model = original.slice();
  const parsed = readTflite(model);
  if (parsed.subgraphs.length !== 1)
    throw new Error(`landmark model: expected 1 subgraph, got ${parsed.subgraphs.length}`);
  const g = parsed.subgraphs[0]!;
  const shapeOf = (t: number) => g.tensors[t]!.shape;
  const isConst = (t: number) => (parsed.bufferSizes[g.tensors[t]!.buffer] ?? 0) > 0;

  const producer = new Map<number, number>();
  g.operators.forEach((op, i) => op.outputs.forEach((t) => producer.set(t, i)));
  /** Adds every op `tensor` depends on (itself included) to `into`. */
  const addDeps = (tensor: number, into: Set<number>): void => {
    const stack = [tensor];
    while (stack.length > 0) {
      const p = producer.get(stack.pop()!);
      if (p === undefined || into.has(p)) continue;
      into.add(p);
      for (const x of g.operators[p]!.inputs) if (x >= 0) stack.push(x);
    }
  };

  const masks = g.outputs.filter((t) => shapeOf(t).length === 4 && shapeOf(t)[3] === 1);
  if (g.outputs.length !== 5 || masks.length !== 1)
    throw new Error(
      `landmark model: expected 5 outputs with one 1-channel mask, got ${JSON.stringify(g.outputs.map(shapeOf))}`,
    );
  const mask = masks[0]!;
  const keep = new Set<number>();
  for (const t of g.outputs) if (t !== mask) addDeps(t, keep);

  const finalOp = producer.get(mask)!;
  const final = g.operators[finalOp]!;
  if (final.builtinCode !== BuiltinOperator.CONV_2D)
    throw new Error(`landmark model: the mask comes from ${final.opName}, expected CONV_2D`);
  const channels = shapeOf(final.inputs[0]!)[3]!;
  // The head's first feature map with the final conv's channel count: the smallest spatial size wins.
  const feeds = g.operators
    .map((op, i) => ({ op, i, shape: shapeOf(op.outputs[0]!) }))
    .filter(
      ({ op, i, shape }) =>
        !keep.has(i) &&
        i !== finalOp &&
        op.builtinCode === BuiltinOperator.CONV_2D &&
        shape.length === 4 &&
        shape[3] === channels,
    )
    .sort((a, b) => a.shape[1]! * a.shape[2]! - b.shape[1]! * b.shape[2]!);
  const feed = feeds[0];
  if (!feed) throw new Error(`landmark model: no ${channels}-channel feature map in the segmentation head`);
  const feedTensor = feed.op.outputs[0]!;

  addDeps(feedTensor, keep);
  keep.add(finalOp);
  for (const x of final.inputs.slice(1)) if (x >= 0) addDeps(x, keep);
  if (final.inputs.slice(1).some((x) => x >= 0 && !isConst(x) && !producer.has(x)))
    throw new Error('landmark model: unexpected non-constant weights in the mask conv');

  // In place: the final conv reads the small map; the mask tensor gets its new shape.
  const root = FbTable.root(model);
  const sg = new FbTable(root.bb, root.tablePositions(SUBGRAPHS)[0]!);
  const opPositions = sg.tablePositions(SG_OPERATORS);
  const bb = root.bb;
  const finalInputs = new FbTable(bb, opPositions[finalOp]!).vectorStart(OP_INPUTS);
  bb.writeInt32(finalInputs, feedTensor);
  const maskShapeStart = new FbTable(bb, sg.tablePositions(SG_TENSORS)[mask]!).vectorStart(TENSOR_SHAPE);
  const [h, w] = [feed.shape[1]!, feed.shape[2]!];
  bb.writeInt32(maskShapeStart + 4, h);
  bb.writeInt32(maskShapeStart + 8, w);
  // The operators vector: kept ops in their original (topological) order; uoffsets are relative to their own slot.
  const kept = [...keep].sort((a, b) => a - b);
  const vec = sg.vectorStart(SG_OPERATORS);
  kept.forEach((src, i) => bb.writeUint32(vec + 4 * i, opPositions[src]! - (vec + 4 * i)));
  bb.writeUint32(vec - 4, kept.length);

  const check = readTflite(model).subgraphs[0]!;
  const maskShapeAfter = check.tensors[mask]!.shape;
  if (check.operators.length !== kept.length || maskShapeAfter.join() !== `1,${h},${w},1`)
    throw new Error('internal: pruned landmark model does not read back as written');
  return {
    model,
    report: {
      opsBefore: g.operators.length,
      opsAfter: kept.length,
      macsBefore: sumMacs(g.operators, shapeOf),
      macsAfter: sumMacs(check.operators, (t) => check.tensors[t]!.shape),
      maskShapeAfter,
    },
  };
}

/** Multiply-accumulates of the convolutions and fully connected layers (the bulk of the work). */
function sumMacs(ops: ReadOperator[], shapeOf: (t: number) => number[]): number {
  const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
  let macs = 0;
  for (const op of ops) {
    const out = shapeOf(op.outputs[0]!);
    const weights = op.inputs[1] ?? -1;
    const w = weights >= 0 ? shapeOf(weights) : [];
    if (op.builtinCode === BuiltinOperator.CONV_2D) macs += prod(out) * w[1]! * w[2]! * w[3]!;
    else if (op.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D) macs += prod(out) * w[1]! * w[2]!;
    else if (op.builtinCode === BuiltinOperator.FULLY_CONNECTED) macs += prod(out) * w[1]!;
  }
  return macs;
}
