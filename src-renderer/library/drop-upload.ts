/**
 * Drag and drop of videos and folders onto the Library in browser mode: the dropped files are read
 * (folders walked), sent to the local host one by one (PUT /api/upload, with byte progress), then the
 * batch folder is imported by the ordinary import job. Electron reads dropped files in place instead.
 */
export interface DroppedFile {
  /** Path inside the drop ("clips/squat.mp4"): folders keep their layout (train/, test/ decide the split). */
  relPath: string;
  file: File;
}

export interface UploadProgress {
  files: number;
  done: number;
  bytes: number;
  sent: number;
}

const VIDEO = /\.(mp4|mov|avi|mkv)$/i;

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call: read until it returns none.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    if (VIDEO.test(file.name)) out.push({ relPath: prefix + file.name, file });
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry))
      await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** The videos of a drop, folders walked; other files are left out. */
export async function droppedVideos(dt: DataTransfer): Promise<{ videos: DroppedFile[]; ignored: number }> {
  const entries = Array.from(dt.items)
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const videos: DroppedFile[] = [];
  if (entries.length > 0) for (const e of entries) await walk(e, '', videos);
  else for (const f of Array.from(dt.files)) if (VIDEO.test(f.name)) videos.push({ relPath: f.name, file: f });
  return { videos, ignored: Math.max(0, dt.files.length - videos.length) };
}

function putFile(url: string, file: File, onSent: (n: number) => void): Promise<{ folder: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      try {
        const r = JSON.parse(xhr.responseText) as {
          ok: boolean;
          value?: { folder: string };
          error?: { message: string };
        };
        if (r.ok && r.value) resolve(r.value);
        else reject(new Error(r.error?.message ?? `Upload failed (${xhr.status})`));
      } catch {
        reject(new Error(`Upload failed (${xhr.status})`));
      }
    };
    xhr.onerror = () => reject(new Error('Upload failed: the local host did not answer'));
    xhr.send(file);
  });
}

/** Uploads the files into one new batch folder of the project; returns that folder (to import). */
export async function uploadVideos(files: DroppedFile[], onProgress: (p: UploadProgress) => void): Promise<string> {
  const batch = `drop-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const p: UploadProgress = {
    files: files.length,
    done: 0,
    bytes: files.reduce((n, f) => n + f.file.size, 0),
    sent: 0,
  };
  let folder = '';
  for (const f of files) {
    const base = p.sent;
    const url = `/api/upload/${batch}/${f.relPath.split('/').map(encodeURIComponent).join('/')}`;
    folder = (await putFile(url, f.file, (n) => onProgress({ ...p, sent: base + n }))).folder;
    p.sent = base + f.file.size;
    p.done++;
    onProgress({ ...p });
  }
  return folder;
}
