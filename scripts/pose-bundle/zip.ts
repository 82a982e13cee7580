/**
 * Deterministic, uncompressed ("stored") zip writing with yazl. MediaPipe's .task reader maps the
 * entries in place, so they are stored, as in Google's official bundles.
 */
import yazl from 'yazl';

/** Fixed entry time. Built from local-time components because the DOS date fields are local time,
 * so the bytes do not depend on the machine's time zone. No "UT" extra field is written. */
const FIXED_MTIME = () => new Date(2023, 0, 1, 0, 0, 0);

export function zipStored(entries: { name: string; data: Uint8Array }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength), e.name, {
      mtime: FIXED_MTIME(),
      mode: 0o100644,
      compress: false,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
