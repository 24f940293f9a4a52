#!/usr/bin/env bash
# Every GPU check in one short run (capped at 8 minutes by its timeouts), ready for the moment a GPU machine is
# lent: the judge's throughput (run-judge-bench.sh: a LLaMA-7B-shaped model through node-llama-cpp's CUDA
# build, 8 sequences, 2 instructions) and the shipped jobs on the GPU (jobs-gpu.bench.ts: a LoRA fine-tune
# step and a beam-4 generation of SmolLM2, with the device each job chose). Prints one JSON document and
# writes it to bench/results/gpu-checks.json.
# Usage: bash bench/gpu/run-gpu-checks.sh   (PANDASWEEP_PYTHON: a Python with a CUDA build of torch)
set -euo pipefail
cd "$(dirname "$0")/../.."
out_dir=bench/results
mkdir -p "$out_dir"
gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -n 1 || true)
timeout 330 bash bench/gpu/run-judge-bench.sh 8 2 "$out_dir" >"$out_dir/judge-gpu.log" 2>&1 || echo "judge bench failed: see $out_dir/judge-gpu.log" >&2
timeout 150 npx tsx bench/gpu/jobs-gpu.bench.ts >"$out_dir/jobs-gpu.json" || echo "jobs bench failed" >&2
GPU="$gpu" node -e '
const fs = require("node:fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch (e) { return { failed: String(e.message).slice(0, 300) }; } };
const doc = { bench: "gpu-checks", measuredAt: new Date().toISOString(), gpu: process.env.GPU, judge: read(process.argv[1]), jobs: read(process.argv[2]) };
fs.writeFileSync(process.argv[3], JSON.stringify(doc, null, 2) + "\n");
process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
' "$out_dir/judge-gpu.json" "$out_dir/jobs-gpu.json" "$out_dir/gpu-checks.json"
