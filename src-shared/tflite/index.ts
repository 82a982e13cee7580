/** TFLite export/inspection (pure TypeScript). */
export {
  exportTflite,
  toExportArchitecture,
  DEFAULT_NORMALIZATION,
  FORM_STUDIO_METADATA,
  type ExportArchitecture,
  type ExportLayer,
  type ExportOptions,
  type ExportResult,
  type ParamMap,
  type ParamValue,
  type WeightMode,
} from './exporter';
export { checkScoringSignature, type SignatureCheck } from './signature';
export { readTflite, metadataText, hasTfliteIdentifier, TfliteFormatError, type ReadModel, type ReadTensor, type ReadOperator, type ReadSignature } from './reader';
export { writeTflite, type ModelSpec as TfliteModelSpec, type TensorSpec, type OperatorSpec, type OpOptions } from './writer';
export { GraphBuilder, type Activation } from './graph';
export { BuiltinOperator, TensorType, BuiltinOptions } from './schema';
