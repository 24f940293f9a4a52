#!/usr/bin/env bash
# The Python environment of the shipped training and generation jobs: ./.venv with
# trainers/requirements.txt (torch, transformers, peft, accelerate, gguf) and the type checker of
# trainers/requirements-dev.txt. trainers/python runs the jobs with it, so nobody activates anything.
# Reinstalls only when the requirements changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements.sha256
want=$(cat trainers/requirements.txt trainers/requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "Python environment for the jobs is ready in .venv"
  exit 0
fi
echo "Installing the jobs' Python environment in .venv (torch, transformers, peft; a few minutes)…"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r trainers/requirements-dev.txt
echo "$want" >"$stamp"
echo "Python environment for the jobs is ready in .venv"
