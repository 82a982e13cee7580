/**
 * What the CLI prints while a project database is migrated at open: a data migration on a large project
 * (migration 5 converts every cached keypoint record) takes minutes, and a silent command looks hung.
 * Lines go to stderr (stdout is the command's own), at most one a second, and only for a long migration.
 */
import type { MigrationProgress } from '../store/database';

export function migrationProgressLines(write: (line: string) => void = (l) => process.stderr.write(l + '\n')) {
  let last = 0;
  let started = 0;
  const progress: MigrationProgress = ({ version, name, done, total }) => {
    const now = Date.now();
    if (done === 0) {
      started = now;
      last = now;
      // Small caches convert in well under a second: nothing to say.
      if (total >= 1000)
        write(`Updating the project database (migration ${version}: ${name}): ${total.toLocaleString('en')} records…`);
      return;
    }
    if (total < 1000 || (now - last < 1000 && done < total)) return;
    last = now;
    const s = ((now - started) / 1000).toFixed(0);
    write(
      done < total
        ? `  ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.floor((done / total) * 100)} %, ${s} s)`
        : `  done: ${total.toLocaleString('en')} records in ${s} s`,
    );
  };
  return progress;
}
