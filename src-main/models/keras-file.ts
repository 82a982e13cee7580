/**
 * Reading a Keras model file's bytes for src-shared/keras: a `.keras` archive is unzipped in memory (yauzl, only
 * config.json and model.weights.h5), a legacy `.h5` is passed as is. The user's file is only read.
 */
import yauzl from 'yauzl';
import {
  KerasFormatError,
  importKerasModel,
  type KerasImport,
  type KerasImportOptions,
  type KerasSource,
} from '../../src-shared/keras';

export function isKerasFile(name: string): boolean {
  return /\.(keras|h5|hdf5)$/i.test(name);
}

function unzip(bytes: Uint8Array, label: string, wanted: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (e: Error | null | undefined) =>
    new KerasFormatError(
      `${label} is not a readable .keras archive (truncated or corrupt ZIP?): ${e?.message ?? 'unknown error'}`,
    );
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, zf) => {
      if (err || !zf) return reject(bad(err));
      zf.on('error', (e: Error) => reject(bad(e)));
      zf.on('end', () => resolve(out));
      zf.on('entry', (e: yauzl.Entry) => {
        if (!wanted.includes(e.fileName)) return zf.readEntry();
        zf.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(bad(e2));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('error', (e3: Error) => reject(bad(e3)));
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(chunks));
            zf.readEntry();
          });
        });
      });
      zf.readEntry();
    });
  });
}

/** The bytes of a .keras / .h5 as a KerasSource (`label` names the file in messages). */
export async function kerasSource(bytes: Uint8Array, label: string): Promise<KerasSource> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!isZip) return { kind: 'h5', bytes };
  const files = await unzip(bytes, label, ['config.json', 'model.weights.h5']);
  const config = files.get('config.json');
  const weights = files.get('model.weights.h5');
  if (!config || !weights) {
    throw new KerasFormatError(
      `${label} lacks ${!config ? 'config.json' : 'model.weights.h5'}: a Keras 3 .keras archive holds config.json and model.weights.h5`,
    );
  }
  return { kind: 'keras', configJson: config.toString('utf8'), weightsH5: new Uint8Array(weights) };
}

/** Read and convert a Keras model file's bytes. */
export async function importKerasBytes(
  bytes: Uint8Array,
  label: string,
  opts: KerasImportOptions = {},
): Promise<KerasImport> {
  return importKerasModel(await kerasSource(bytes, label), label, opts);
}
