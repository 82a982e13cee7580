import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The Python venv of scripts/python-venv.sh ($FORM_STUDIO_VENV, else .venv at the repo root), if it has the
 * pinned packages; otherwise why not (the tests that need it skip and say so).
 */
export function pythonVenv(): { python: string | null; why: string } {
  const dir = process.env.FORM_STUDIO_VENV ? resolve(process.env.FORM_STUDIO_VENV) : join(ROOT, '.venv');
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python))
    return { python: null, why: `no Python venv at ${dir}: make it with scripts/python-venv.sh (.ci/run does)` };
  const r = spawnSync(python, ['-c', 'import tensorflow, keras, ray.train.tensorflow, pyarrow'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  if (r.status !== 0)
    return {
      python: null,
      why: `${python} lacks a pinned package (${(r.stderr || '').trim().split('\n').pop()}): run scripts/python-venv.sh`,
    };
  return { python, why: '' };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/**
 * Runs `fn` holding a machine-wide lock for starting a local Ray cluster. Two `ray.init()` clusters started at
 * once on 2 cores time out starting ("The current node timed out during startup": seen with the Ray shard and
 * the Ray Train tests in parallel test files), so the tests that start one take turns.
 */
export async function oneRayClusterAtATime<T>(fn: () => Promise<T> | T): Promise<T> {
  const lock = join(tmpdir(), 'form-studio-test-ray.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Just taken: its pid is not written yet.
      }
      if (holder && !alive(holder))
        rmSync(lock, { recursive: true, force: true }); // left by a killed run
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
