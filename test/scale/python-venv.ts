import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Exits non-zero, naming it, if a package the tests need is not installed (tensorflow, keras, ray with its
 * Train for TensorFlow, pyarrow). */
const FIND_PACKAGES = `
import importlib.util as u, os, sys
for m in ('tensorflow', 'keras', 'ray', 'pyarrow'):
    if u.find_spec(m) is None:
        sys.exit(f'No module named {m!r}')
if not os.path.isdir(os.path.join(u.find_spec('ray').submodule_search_locations[0], 'train', 'tensorflow')):
    sys.exit("No module named 'ray.train.tensorflow'")
`;

/**
 * The Python venv of scripts/python-venv.sh ($FORM_STUDIO_VENV, else .venv at the repo root), if it has the
 * pinned packages; otherwise why not (the tests that need it skip and say so).
 */
export function pythonVenv(): { python: string | null; why: string } {
  const dir = process.env.FORM_STUDIO_VENV ? resolve(process.env.FORM_STUDIO_VENV) : join(ROOT, '.venv');
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python))
    return { python: null, why: `no Python venv at ${dir}: make it with scripts/python-venv.sh (.ci/run does)` };
  // Located, not imported: importing TensorFlow and Ray Train costs ≈8 CPU-s (28 s at load 12) per test file,
  // and the tests import them anyway, so a venv whose packages are there but broken fails them loudly.
  const r = spawnSync(python, ['-c', FIND_PACKAGES], { encoding: 'utf8', timeout: 60_000 });
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
