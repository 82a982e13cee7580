import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import yazl from 'yazl';

export interface ZipItem {
  name: string;
  data?: Buffer;
  file?: string;
  mode?: number;
  /** Write this name into the archive bytes after building (for names yazl refuses: ../x, /abs, C:/x). */
  rawName?: string;
}

/** Build a zip with yazl; `rawName` entries are patched in place (same length placeholders). */
export async function makeZip(out: string, items: ZipItem[]): Promise<void> {
  const z = new yazl.ZipFile();
  for (const it of items) {
    const opts = { mode: it.mode, compress: false };
    if (it.file) z.addFile(it.file, it.name, opts);
    else z.addBuffer(it.data ?? Buffer.from(`content of ${it.name}\n`), it.name, opts);
  }
  z.end();
  await new Promise<void>((resolve, reject) =>
    z.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject),
  );
  const patches = items.filter((i) => i.rawName);
  if (patches.length) {
    const buf = await readFile(out);
    for (const p of patches) {
      if (p.rawName!.length !== p.name.length) throw new Error('rawName must have the same length as name');
      const from = Buffer.from(p.name);
      const to = Buffer.from(p.rawName!);
      for (let i = buf.indexOf(from); i >= 0; i = buf.indexOf(from, i + 1)) to.copy(buf, i); // local + central headers
    }
    await writeFile(out, buf);
  }
}
