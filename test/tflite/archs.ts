/** The two model kinds from src-shared/model/architecture.ts, plus exporter-form copies for the TS reference. */
import { highAccuracyModel, standardModel, type ModelSpec } from '../../src-shared/model/architecture';
import { toExportArchitecture, type ExportArchitecture } from '../../src-shared/tflite/exporter';

export const MODEL_SPECS: Record<'standard' | 'high-accuracy', ModelSpec> = {
  standard: standardModel(24),
  'high-accuracy': highAccuracyModel(24),
};

export const MODEL_KINDS: Record<string, ExportArchitecture> = Object.fromEntries(
  Object.entries(MODEL_SPECS).map(([k, s]) => [k, toExportArchitecture(s)]),
);
