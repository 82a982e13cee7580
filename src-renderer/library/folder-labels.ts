/**
 * After importing a folder: if it (or a toolkit data root inside it) holds exercise_scores.csv, hand the file
 * to the CSV dialog so its labels are offered (previewed, applied only on confirm).
 */
import { api } from '../api/client';

export interface FolderCsv {
  path: string;
  dataRoot: string;
  csv: string;
}

/** Wait for the import job, then look for the toolkit's label file where the videos came from. */
export function offerFolderLabels(
  jobId: string,
  folder: string,
  onFound: (csv: FolderCsv) => void,
  onError: (message: string) => void,
): void {
  const off = api.onEvent((e) => {
    if (e.type !== 'job' || e.job.id !== jobId || e.job.state === 'running') return;
    off();
    if (e.job.state !== 'done') return;
    api.call('labels.folderCsv', { paths: [folder] }).then(
      (found) => {
        if (found.length > 0) onFound(found[0]);
        if (found.length > 1)
          onError(`${found.length} label files found; showing ${found[0].path}. Import the others with Import CSV…`);
      },
      (err: Error) => onError(`Could not read the folder's label file: ${err.message}`),
    );
  });
}
