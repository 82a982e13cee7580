/** Dev tool: print tensors, metadata entries and TFLITE_METADATA of .tflite files. `npx tsx scripts/pose-bundle/inspect.ts a.tflite ...` */
import { readFileSync } from 'node:fs';
import { metadataBytes, readTflite, subgraphTensors } from '../../src-shared/tflite/reader.js';
import { parseModelMetadata } from './metadata.js';
import { TFLITE_METADATA_NAME } from './add-metadata.js';
for (const f of process.argv.slice(2)) {
  const m = readTflite(new Uint8Array(readFileSync(f)));
  const io = (w: 'inputs' | 'outputs') =>
    subgraphTensors(m, w).map(({ name, shape, typeName }) => ({ name, shape, typeName }));
  const info = {
    version: m.version,
    numBuffers: m.bufferSizes.length,
    numSubgraphs: m.subgraphs.length,
    inputs: io('inputs'),
    outputs: io('outputs'),
    metadata: m.metadata.map(({ name, buffer }) => ({ name, buffer })),
  };
  console.log(f, JSON.stringify(info, null, 0));
  const md = metadataBytes(m, TFLITE_METADATA_NAME);
  if (md) console.log(JSON.stringify(parseModelMetadata(md), null, 1));
}
