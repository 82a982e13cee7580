/**
 * The roles of a scoring model's outputs. Our own names first (`score`, `exercise_probs`); otherwise by shape,
 * because converters name outputs after their graph (`StatefulPartitionedCall:0`, `output_1`…): the one
 * single-value output ([1,1] or [1]) is the score and the one [1,K] output (K ≥ 2) the exercise head. When
 * shapes do not decide, the user chooses (OutputChoice); every output must get a role, none is dropped.
 */
import { TensorType, TENSOR_TYPE_NAMES } from './schema';
import type { ReadTensor } from './reader';
import type { Endpoint, OutputChoice, SignatureCheck } from './signature-types';

const fmtShape = (s: number[]): string => `[${s.join(', ')}]`;
const size = (t: ReadTensor) => t.shape.reduce((p, d) => p * d, 1);
const isProbs = (t: ReadTensor) => t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] >= 2;

export function readOutputs(outputs: Endpoint[], result: SignatureCheck, choice: OutputChoice): void {
  const { errors } = result;
  const list = () => outputs.map((e) => `"${e.name}" ${fmtShape(e.tensor.shape)}`).join(', ') || 'no outputs';
  const byName = (n: string | undefined) => (n === undefined ? undefined : outputs.find((o) => o.name === n));
  for (const [key, n] of Object.entries(choice)) {
    if (key === 'scoreScale') continue;
    if (n !== undefined && !byName(n))
      errors.push(
        `the chosen ${key === 'scoreOutput' ? 'score' : 'exercise'} output "${n}" is not an output of this model (outputs: ${list()})`,
      );
  }
  let score = byName(choice.scoreOutput) ?? byName('score');
  let probs = byName(choice.probsOutput) ?? byName('exercise_probs');
  let ambiguous = false;
  if (!score) {
    const scalars = outputs.filter((o) => o !== probs && size(o.tensor) === 1);
    if (scalars.length === 1) {
      score = scalars[0];
      if (outputs.length > 1 || score.name !== 'score')
        result.warnings.push(`the score is output "${score.name}" (the only single-value output)`);
    } else if (scalars.length > 1) {
      ambiguous = true;
      errors.push(
        `${scalars.length} single-value outputs (${scalars.map((o) => `"${o.name}"`).join(', ')}): which one is the score cannot be told from the file; choose it (Models → Import) or rename the outputs to "score" / "exercise_probs"`,
      );
    } else {
      errors.push(`no "score" output: expected an output named "score" or one output of shape [1, 1]; found ${list()}`);
    }
  }
  if (!probs) {
    const wide = outputs.filter((o) => o !== score && isProbs(o.tensor));
    if (wide.length === 1) {
      probs = wide[0];
      if (probs.name !== 'exercise_probs')
        result.warnings.push(
          `the exercise head is output "${probs.name}" ${fmtShape(probs.tensor.shape)} (the only [1, K] output)`,
        );
    } else if (wide.length > 1) {
      ambiguous = true;
      errors.push(
        `${wide.length} outputs of shape [1, K] (${wide.map((o) => `"${o.name}" ${fmtShape(o.tensor.shape)}`).join(', ')}): which one is the exercise head cannot be told from the file; choose it`,
      );
    }
  }
  if (score) {
    result.scoreOutput = score.name;
    if (score.tensor.type !== TensorType.FLOAT32)
      errors.push(`output "${score.name}" is ${typeName(score.tensor.type)}; it must be float32`);
    if (size(score.tensor) !== 1)
      errors.push(
        `output "${score.name}" has shape ${fmtShape(score.tensor.shape)}; the score must be a single value ([1, 1])`,
      );
  }
  if (probs) {
    result.probsOutput = probs.name;
    if (probs.tensor.type !== TensorType.FLOAT32)
      errors.push(`output "${probs.name}" is ${typeName(probs.tensor.type)}; it must be float32`);
    if (!isProbs(probs.tensor))
      errors.push(
        `output "${probs.name}" has shape ${fmtShape(probs.tensor.shape)}; exercise probabilities must be [1, K] with K ≥ 2`,
      );
    else result.numExercises = probs.tensor.shape[1];
  }
  const extra = ambiguous ? [] : outputs.filter((o) => o !== score && o !== probs);
  if (extra.length) {
    errors.push(
      `output${extra.length > 1 ? 's' : ''} ${extra.map((o) => `"${o.name}" ${fmtShape(o.tensor.shape)}`).join(', ')} would be dropped: a scoring model has a score and at most one exercise head`,
    );
  }
  if (ambiguous) result.ambiguousOutputs = outputs.map((o) => ({ name: o.name, shape: [...o.tensor.shape] }));
}

function typeName(t: number): string {
  return TENSOR_TYPE_NAMES[t] ?? `type ${t}`;
}
