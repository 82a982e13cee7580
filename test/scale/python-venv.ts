import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Run the venv's Python quietly (no GPU, TensorFlow's info logs off, every Ray log line kept). */
export function runPython(
  python: string,
  args: string[],
  timeout = 600_000,
): { code: number | null; out: string; err: string } {
  const r = spawnSync(python, args, {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CUDA_VISIBLE_DEVICES: '', RAY_DEDUP_LOGS: '0' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
