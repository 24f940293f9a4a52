#!/usr/bin/env bash
# Judge throughput on a GPU machine: bench/judge.bench.ts (limit, verdict, tournament with prefix reuse,
# full mode) on a LLaMA-7B-shaped random model (Q4_0) with several sequences, printing the same JSON as on
# the CPU. Needs node-llama-cpp's CUDA prebuilt binary (installed with the npm dependencies).
# Usage: bash bench/gpu/run-judge-bench.sh [sequences=8] [instructions=2] [out-dir=bench/results]
set -euo pipefail
cd "$(dirname "$0")/../.."
sequences="${1:-8}"
instructions="${2:-2}"
out_dir="${3:-bench/results}"
mkdir -p "$out_dir"
model="$out_dir/llama7b-shaped.Q4_0.gguf"
[ -f "$model" ] || npx tsx bench/gpu/make-llama7b-shaped-model.ts "$model"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
# No transformers reference: the jobs' Python has a CPU build of torch, and a random model's tokenizer is
# not one transformers converts. Threads 0: node-llama-cpp's default.
npx tsx bench/judge.bench.ts --model "$model" --gpu cuda --threads 0 --sequences "$sequences" --instructions "$instructions" \
  --sample 32 --full-prompts 4 --reference-prompts 0 --batch-sizes 512,2048 | tee "$out_dir/judge-gpu.json"
