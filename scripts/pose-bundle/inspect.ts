/** Dev tool: print tensors, metadata entries and TFLITE_METADATA of .tflite files. `npx tsx scripts/pose-bundle/inspect.ts a.tflite ...` */
import { readFileSync } from 'node:fs';
import { readModelInfo, readMetadataBuffer } from './tflite-model.js';
import { parseModelMetadata } from './metadata.js';
for (const f of process.argv.slice(2)) {
  const b = new Uint8Array(readFileSync(f));
  const info = readModelInfo(b);
  console.log(f, JSON.stringify({ ...info }, null, 0));
  const md = readMetadataBuffer(b, 'TFLITE_METADATA');
  if (md) console.log(JSON.stringify(parseModelMetadata(md), null, 1));
}
