/**
 * Validation of an imported .tflite against the Form Studio scoring contract:
 * one float32 input [1, N, 132]; a `score` output ([1,1] or [1]); optionally
 * `exercise_probs` [1, K]. Pure: works on bytes, no runtime needed.
 */
import { BuiltinOperator, TensorType, TENSOR_TYPE_NAMES } from './schema';
import { metadataText, readTflite, TfliteFormatError, type ReadModel, type ReadTensor } from './reader';
import { readOutputs } from './signature-outputs';
import { FEATURES_PER_FRAME as KEYPOINT_FEATURES } from '../keypoints/format';

export interface SignatureCheck {
  ok: boolean;
  /** Human-readable problems that make the file unusable. */
  errors: string[];
  /** Things that work but are unusual. */
  warnings: string[];
  signatureKey?: string;
  inputName?: string;
  numFrames?: number;
  scoreOutput?: string;
  probsOutput?: string;
  numExercises?: number;
  /** Multiply the score output by this to get 0–100 (100 when it comes straight from a sigmoid). */
  scoreScale?: number;
  /** Set when the outputs' roles cannot be told apart: the outputs to choose from (UI asks, CLI fails). */
  ambiguousOutputs?: Array<{ name: string; shape: number[] }>;
  /** Parsed "form_studio" metadata JSON, when present. */
  formStudio?: Record<string, unknown>;
}

export interface Endpoint {
  name: string;
  tensor: ReadTensor;
}

const fmtShape = (s: number[]): string => `[${s.join(', ')}]`;
const typeName = (t: number): string => TENSOR_TYPE_NAMES[t] ?? `type ${t}`;

/** The user's answer when the outputs' roles are ambiguous (names of the score and exercise outputs). */
export interface OutputChoice {
  scoreOutput?: string;
  probsOutput?: string;
  /** Override the score scale (default: 100 after a sigmoid, else 1). */
  scoreScale?: number;
}

export function checkScoringSignature(input: Uint8Array | ReadModel, choice: OutputChoice = {}): SignatureCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  let model: ReadModel;
  try {
    model = input instanceof Uint8Array ? readTflite(input) : input;
  } catch (e) {
    const msg = e instanceof TfliteFormatError ? e.message : `could not read the file: ${(e as Error).message}`;
    return { ok: false, errors: [msg], warnings };
  }
  const result: SignatureCheck = { ok: false, errors, warnings };

  if (model.subgraphs.length === 0) {
    errors.push('the model has no subgraphs');
    return result;
  }

  // Pick the signature: serving_default, else the only one, else the raw subgraph 0 endpoints.
  let inputs: Endpoint[];
  let outputs: Endpoint[];
  const sig =
    model.signatures.find((s) => s.key === 'serving_default') ??
    (model.signatures.length === 1 ? model.signatures[0] : undefined);
  if (sig) {
    const sg = model.subgraphs[sig.subgraphIndex];
    if (!sg) {
      errors.push(`signature "${sig.key}" points at subgraph ${sig.subgraphIndex}, which does not exist`);
      return result;
    }
    result.signatureKey = sig.key;
    inputs = sig.inputs.map((m) => ({ name: m.name, tensor: sg.tensors[m.tensorIndex] }));
    outputs = sig.outputs.map((m) => ({ name: m.name, tensor: sg.tensors[m.tensorIndex] }));
    if (model.signatures.length > 1 && sig.key !== 'serving_default')
      warnings.push(`several signatures; using "${sig.key}"`);
  } else {
    const sg = model.subgraphs[0];
    if (model.signatures.length > 1) {
      errors.push(
        `the model has ${model.signatures.length} signatures (${model.signatures.map((s) => s.key).join(', ')}) and none is "serving_default"`,
      );
      return result;
    }
    warnings.push('no SignatureDef: using the tensor names of subgraph 0');
    inputs = sg.inputs.map((i) => ({ name: sg.tensors[i].name, tensor: sg.tensors[i] }));
    outputs = sg.outputs.map((i) => ({ name: sg.tensors[i].name, tensor: sg.tensors[i] }));
  }

  // Custom / Flex ops will not run on stock runtimes.
  const custom = model.operatorCodes.filter((c) => c.builtinCode === BuiltinOperator.CUSTOM);
  if (custom.length > 0) {
    const names = custom.map((c) => c.customCode ?? '?');
    const flex = names.filter((n) => n.startsWith('Flex'));
    errors.push(
      `the model uses custom operators (${names.join(', ')})` +
        (flex.length > 0
          ? '; Flex ops need the TensorFlow select-ops delegate, which stock runtimes (LiteRT.js, tfjs-tflite) do not ship'
          : '; stock runtimes cannot run them') +
        '. Re-convert with builtin ops only.',
    );
  }

  // Input.
  if (inputs.length !== 1) {
    errors.push(
      `expected exactly 1 input (keypoints [1, N, ${KEYPOINT_FEATURES}] float32), found ${inputs.length}` +
        (inputs.length ? `: ${inputs.map((e) => `${e.name} ${fmtShape(e.tensor.shape)}`).join(', ')}` : ''),
    );
  } else {
    const { name, tensor } = inputs[0];
    result.inputName = name;
    const s = tensor.shape;
    if (tensor.type !== TensorType.FLOAT32) {
      errors.push(
        `input "${name}" is ${typeName(tensor.type)}; it must be float32 (a fully-integer model is not supported; use dynamic-range or float16 quantization)`,
      );
    }
    if (s.length === 3 && s[0] === 1 && s[2] === KEYPOINT_FEATURES && s[1] > 0) {
      result.numFrames = s[1];
    } else if (s.length === 3 && s[0] === 1 && s[1] === KEYPOINT_FEATURES && s[2] !== KEYPOINT_FEATURES) {
      errors.push(
        `input "${name}" is ${fmtShape(s)}: frames and features look swapped; expected [1, N, ${KEYPOINT_FEATURES}] (33 landmarks × x,y,z,visibility per frame)`,
      );
    } else if (s.length === 2 && s[1] === KEYPOINT_FEATURES) {
      errors.push(`input "${name}" is ${fmtShape(s)} without a batch dimension; expected [1, N, ${KEYPOINT_FEATURES}]`);
    } else if (s.length === 3 && s[0] !== 1 && s[2] === KEYPOINT_FEATURES) {
      errors.push(`input "${name}" has batch ${s[0] < 0 ? 'dynamic (-1)' : s[0]}; the batch must be fixed at 1`);
    } else if (s.length === 3 && s[2] !== KEYPOINT_FEATURES) {
      errors.push(
        `input "${name}" has ${s[2]} features per frame; expected ${KEYPOINT_FEATURES} (33 landmarks × x,y,z,visibility)`,
      );
    } else {
      errors.push(`input "${name}" has shape ${fmtShape(s)}; expected [1, N, ${KEYPOINT_FEATURES}]`);
    }
  }

  // Outputs: by our names, else by shape ([1,1] = score, [1,K] = exercise); never a head dropped silently.
  readOutputs(outputs, result, choice);
  // A score straight out of a sigmoid (a converted Keras model) is 0–1: shown ×100. Ours end in ×100 (a MUL).
  const scoreEp = outputs.find((o) => o.name === result.scoreOutput);
  const graph = model.subgraphs[sig?.subgraphIndex ?? 0];
  const scoreIdx = scoreEp ? graph.tensors.indexOf(scoreEp.tensor) : -1;
  const producer = graph.operators.find((op) => op.outputs.includes(scoreIdx));
  result.scoreScale = choice.scoreScale ?? (producer?.opName === 'LOGISTIC' ? 100 : 1);

  const meta = metadataText(model, 'form_studio');
  if (meta !== undefined) {
    try {
      result.formStudio = JSON.parse(meta) as Record<string, unknown>;
      const nf = result.formStudio.numFrames;
      if (typeof nf === 'number' && result.numFrames !== undefined && nf !== result.numFrames) {
        warnings.push(`metadata says numFrames=${nf} but the input has ${result.numFrames} frames`);
      }
    } catch {
      warnings.push('the "form_studio" metadata is not valid JSON');
    }
  }
  result.ok = errors.length === 0;
  return result;
}
