/**
 * The two model kinds as exporter IR. Placeholder copies of the agreed contract, used until
 * src-shared/model/architecture.ts lands; then this file maps that module's definitions instead.
 */
import type { ExportArchitecture } from '../../src-shared/tflite/exporter';

export const MODEL_KINDS: Record<'standard' | 'high_accuracy', ExportArchitecture> = {
  standard: {
    kind: 'standard',
    numFrames: 24,
    numExercises: 14,
    layers: [
      { kind: 'bilstm', name: 'bilstm_1', units: 128, returnSequences: true },
      { kind: 'dropout' },
      { kind: 'bilstm', name: 'bilstm_2', units: 64, returnSequences: true },
      { kind: 'attention', name: 'attention', heads: 4, keyDim: 32 },
      { kind: 'globalAvgPool' },
      { kind: 'dense', name: 'dense_1', units: 128, activation: 'relu' },
      { kind: 'batchNorm', name: 'bn_1', epsilon: 1e-3 },
      { kind: 'dropout' },
      { kind: 'dense', name: 'dense_2', units: 64, activation: 'relu' },
    ],
  },
  high_accuracy: {
    kind: 'high_accuracy',
    numFrames: 24,
    numExercises: 14,
    layers: [
      { kind: 'bilstm', name: 'bilstm_1', units: 256, returnSequences: true },
      { kind: 'bilstm', name: 'bilstm_2', units: 256, returnSequences: true },
      { kind: 'bilstm', name: 'bilstm_3', units: 128, returnSequences: true },
      { kind: 'attention', name: 'attention', heads: 8, keyDim: 64 },
      { kind: 'globalAvgPool' },
      { kind: 'dense', name: 'dense_1', units: 256, activation: 'relu' },
      { kind: 'batchNorm', name: 'bn_1', epsilon: 1e-3 },
      { kind: 'dense', name: 'dense_2', units: 128, activation: 'linear' },
      { kind: 'batchNorm', name: 'bn_2', epsilon: 1e-3 },
      { kind: 'dropout' },
    ],
  },
};
