/** What checking a .tflite against the scoring contract returns, and the user's choice of outputs. */
import type { ReadTensor } from './reader';

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

/** The user's answer when the outputs' roles are ambiguous (names of the score and exercise outputs). */
export interface OutputChoice {
  scoreOutput?: string;
  probsOutput?: string;
  /** Override the score scale (default: 100 after a sigmoid, else 1). */
  scoreScale?: number;
}
