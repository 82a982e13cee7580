/** Tool discovery's one test for "a program we can run": a regular file, executable (on Windows: present). */
import { accessSync, constants, statSync } from 'node:fs';

export function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
