#!/usr/bin/env bash
# Make the Python venv the deploy/ scripts and their tests use: `.venv/` at the repo root (or $FORM_STUDIO_VENV),
# with deploy/requirements.txt installed by pip as configured on the machine (here a local mirror). Idempotent:
# an existing venv whose packages import is kept. Prints how long it took. An unreachable index is not retried
# (PIP_RETRIES=0, a short PIP_TIMEOUT): pip then goes on with the configured mirror at once.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${FORM_STUDIO_VENV:-$PWD/.venv}"
PY="${PYTHON:-python3}"
start=$(date +%s)
export PIP_RETRIES="${PIP_RETRIES:-0}" PIP_TIMEOUT="${PIP_TIMEOUT:-5}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import tensorflow, keras, ray.train.tensorflow, pyarrow' 2>/dev/null; then
  echo "Python venv ready: $VENV"
  exit 0
fi
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r deploy/requirements.txt
"$VENV/bin/python" -c 'import tensorflow, keras, ray.train.tensorflow, pyarrow; print("tensorflow", tensorflow.__version__, "keras", keras.__version__, "ray", __import__("ray").__version__, "pyarrow", pyarrow.__version__)'
echo "Python venv made in $(( $(date +%s) - start )) s: $VENV"
