/**
 * TFLite Model Metadata (tensorflow/tflite-support metadata_schema.fbs, file identifier "M001"):
 * writing the subset MediaPipe's image preprocessing needs, and reading it back.
 *
 * Field slots used (in .fbs order):
 *   ModelMetadata: name 0, description 1, version 2, subgraph_metadata 3, author 4, license 5,
 *                  associated_files 6, min_parser_version 7
 *   SubGraphMetadata: name 0, description 1, input_tensor_metadata 2, output_tensor_metadata 3, ...
 *   TensorMetadata: name 0, description 1, dimension_names 2, content 3, process_units 4, stats 5, ...
 *   Content: content_properties (union: type slot 0, value slot 1), range 2
 *     ContentProperties: 1 FeatureProperties, 2 ImageProperties, 3 BoundingBoxProperties
 *   ImageProperties: color_space 0 (byte: UNKNOWN 0, RGB 1, GRAYSCALE 2), default_size 1
 *   ImageSize: width 0, height 1
 *   ProcessUnit: options (union: type slot 0, value slot 1)
 *     ProcessUnitOptions: 1 NormalizationOptions, 2 ScoreCalibrationOptions, 3 ScoreThresholdingOptions, ...
 *   NormalizationOptions: mean 0 ([float]), std 1 ([float])
 */
import { Builder } from 'flatbuffers';
import { FbTable, fileIdentifier } from '../../src-shared/tflite/flatbuffer.js';

export const METADATA_IDENTIFIER = 'M001';
/** Smallest parser version that understands every field written here (all exist since 1.0.0). */
export const MIN_PARSER_VERSION = '1.0.0';

const CONTENT_FEATURE_PROPERTIES = 1;
const CONTENT_IMAGE_PROPERTIES = 2;
const PROCESS_UNIT_NORMALIZATION = 1;
const COLOR_SPACE = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 } as const;

export interface ImageInputMetadata {
  modelName: string;
  description: string;
  version?: string;
  author?: string;
  license?: string;
  inputTensorName: string;
  inputDescription: string;
  mean: number[];
  std: number[];
  /** Output tensors, in SubGraph.outputs order (described as FeatureProperties). */
  outputs: { name: string; description: string }[];
}

export function buildImageInputMetadata(m: ImageInputMetadata): Uint8Array {
  const b = new Builder(1024);
  const floats = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addFloat32(xs[i]!);
    return b.endVector();
  };
  const offsets = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(xs[i]!);
    return b.endVector();
  };

  // NormalizationOptions → ProcessUnit
  const mean = floats(m.mean);
  const std = floats(m.std);
  b.startObject(2);
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const norm = b.endObject();
  b.startObject(2);
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, norm, 0);
  const processUnit = b.endObject();

  // ImageProperties → Content (no default_size: the input tensor shape is fixed)
  b.startObject(2);
  b.addFieldInt8(0, COLOR_SPACE.RGB, 0);
  const imageProps = b.endObject();
  b.startObject(3);
  b.addFieldInt8(0, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(1, imageProps, 0);
  const content = b.endObject();

  // TensorMetadata
  const tName = b.createString(m.inputTensorName);
  const tDesc = b.createString(m.inputDescription);
  const units = offsets([processUnit]);
  b.startObject(7);
  b.addFieldOffset(0, tName, 0);
  b.addFieldOffset(1, tDesc, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, units, 0);
  const tensorMeta = b.endObject();

  // Output TensorMetadata: FeatureProperties content
  const outputMetas = m.outputs.map((o) => {
    b.startObject(0);
    const feature = b.endObject();
    b.startObject(3);
    b.addFieldInt8(0, CONTENT_FEATURE_PROPERTIES, 0);
    b.addFieldOffset(1, feature, 0);
    const c = b.endObject();
    const n = b.createString(o.name);
    const d = b.createString(o.description);
    b.startObject(7);
    b.addFieldOffset(0, n, 0);
    b.addFieldOffset(1, d, 0);
    b.addFieldOffset(3, c, 0);
    return b.endObject();
  });

  // SubGraphMetadata
  const inputs = offsets([tensorMeta]);
  const outputs = offsets(outputMetas);
  b.startObject(7);
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraph = b.endObject();

  // ModelMetadata
  const name = b.createString(m.modelName);
  const desc = b.createString(m.description);
  const version = m.version ? b.createString(m.version) : 0;
  const author = m.author ? b.createString(m.author) : 0;
  const license = m.license ? b.createString(m.license) : 0;
  const subgraphs = offsets([subgraph]);
  const minParser = b.createString(MIN_PARSER_VERSION);
  b.startObject(8);
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, desc, 0);
  b.addFieldOffset(2, version, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(4, author, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

export interface ParsedTensorMetadata {
  name: string | null;
  description: string | null;
  contentType: number;
  colorSpace?: 'UNKNOWN' | 'RGB' | 'GRAYSCALE';
  defaultSize?: { width: number; height: number };
  normalization?: { mean: number[]; std: number[] };
}

export interface ParsedModelMetadata {
  name: string | null;
  description: string | null;
  version: string | null;
  author: string | null;
  license: string | null;
  minParserVersion: string | null;
  subgraphs: { name: string | null; inputs: ParsedTensorMetadata[]; outputs: ParsedTensorMetadata[] }[];
}

function parseTensor(t: FbTable): ParsedTensorMetadata {
  const out: ParsedTensorMetadata = { name: t.str(0) ?? null, description: t.str(1) ?? null, contentType: 0 };
  const content = t.table(3);
  if (content) {
    out.contentType = content.u8(0);
    const props = content.table(1);
    if (props && out.contentType === CONTENT_IMAGE_PROPERTIES) {
      out.colorSpace = (['UNKNOWN', 'RGB', 'GRAYSCALE'] as const)[props.i8(0)] ?? 'UNKNOWN';
      const size = props.table(1);
      if (size) out.defaultSize = { width: size.u32(0), height: size.u32(1) };
    }
  }
  for (const unit of t.tables(4)) {
    const opts = unit.table(1);
    if (opts && unit.u8(0) === PROCESS_UNIT_NORMALIZATION)
      out.normalization = { mean: opts.f32s(0), std: opts.f32s(1) };
  }
  return out;
}

export function parseModelMetadata(bytes: Uint8Array): ParsedModelMetadata {
  if (fileIdentifier(bytes) !== METADATA_IDENTIFIER) {
    throw new Error(`not a TFLite ModelMetadata buffer (identifier ${JSON.stringify(fileIdentifier(bytes))})`);
  }
  const root = FbTable.root(bytes);
  return {
    name: root.str(0) ?? null,
    description: root.str(1) ?? null,
    version: root.str(2) ?? null,
    author: root.str(4) ?? null,
    license: root.str(5) ?? null,
    minParserVersion: root.str(7) ?? null,
    subgraphs: root.tables(3).map((sg) => ({
      name: sg.str(0) ?? null,
      inputs: sg.tables(2).map(parseTensor),
      outputs: sg.tables(3).map(parseTensor),
    })),
  };
}
