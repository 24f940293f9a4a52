#!/usr/bin/env bash
# Judge throughput on a GPU machine: verdict vs full mode and 1 vs N sequences on a LLaMA-7B-shaped
# random model (Q4_0). Needs node-llama-cpp's CUDA prebuilt binary (npm install with scripts allowed).
# Usage: bash bench/gpu/run-judge-bench.sh [prompts=32] [sequences=8] [out-dir=bench/results]
set -euo pipefail
cd "$(dirname "$0")/../.."
prompts="${1:-32}"
sequences="${2:-8}"
out_dir="${3:-bench/results}"
mkdir -p "$out_dir"
model="$out_dir/llama7b-shaped.Q4_0.gguf"
[ -f "$model" ] || npx tsx bench/gpu/make-llama7b-shaped-model.ts "$model"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
npx tsx bench/judge.bench.ts --model "$model" --gpu cuda --prompts "$prompts" --sequences "$sequences" --max-tokens 512 | tee "$out_dir/judge-gpu.json"
