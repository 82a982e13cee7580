/** The stored form of an imported Keras model: the app's own model file, with where it came from in its metadata. */
import { packModel } from '../../src-shared/model';
import type { KerasImport } from '../../src-shared/keras';

export function serializeImportedKeras(imp: KerasImport, name: string): Uint8Array {
  const { saved } = imp;
  return packModel({
    ...saved,
    metadata: { ...saved.metadata, importedFrom: name, importedAt: new Date().toISOString() },
  });
}
