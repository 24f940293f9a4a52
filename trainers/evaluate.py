"""Scores a trial on held-out instruction/answer pairs: how likely the tuned model finds the reference answers.

    trainers/python trainers/evaluate.py --base_model=MODEL [--checkpoint=DIR] --data_path=FILE --output=FILE \
        [--skip=N] [--limit=N] [--model_max_length=512]

The `evaluate` job of the quick start, a small stand-in for the lm-evaluation-harness's perplexity tasks
that runs on a CPU in seconds:

- MODEL and DIR as for generate.py: the base model, and the trial's LoRA adapter or full model.
- FILE holds instruction/answer pairs in Alpaca's format (as finetune.py reads them); `--skip` and
  `--limit` pick pairs no trial trained on (finetune.py's `--max_train_samples` takes the first N).
- Each pair is the example finetune.py would train on (Alpaca prompt, answer, end of sequence, cut to
  `model_max_length`); only the answer's tokens are scored.

Writes FILE `--output` as `{"results": {"heldout": {"loss", "perplexity", "token_accuracy"}}, "config": {...}}`
(the harness's layout, which pandasweep reads) and prints `PANDASWEEP_METRIC {"step": 0, "heldout_answer_tokens": ...}`,
how many answer tokens were scored.
Lower loss and perplexity, higher token accuracy: the model predicts the references better. Exit codes: 2 for
bad input, 3 for out of memory (trainers/job_errors.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

from alpaca import IGNORE_INDEX, read_records, supervised_example
from devices import add_placement_arguments, resolve_placement
from generate import load_model
from job_errors import JobInputError, run_job


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score a trial's model on held-out instruction/answer pairs (reference-answer loss).")
    parser.add_argument("--base_model", required=True, help="Hugging Face id, local folder, or .gguf file the trial was tuned from")
    parser.add_argument("--checkpoint", help="LoRA adapter folder or full model folder (the training job's output)")
    parser.add_argument("--data_path", type=Path, required=True, help="Alpaca JSON array or JSON lines with instruction, input, output")
    parser.add_argument("--output", type=Path, required=True, help="results JSON to write")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N pairs (those trials trained on; default: 0)")
    parser.add_argument("--limit", type=int, help="score at most N pairs after the skipped ones (default: all)")
    parser.add_argument("--model_max_length", type=int, default=512, help="longest example in tokens, as in training (default: 512)")
    add_placement_arguments(parser)
    args = parser.parse_args()
    if args.skip < 0:
        parser.error(f"--skip must be at least 0, got {args.skip}")
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be at least 1, got {args.limit}")
    if args.model_max_length < 2:
        parser.error(f"--model_max_length must be at least 2, got {args.model_max_length}")
    return args


def main() -> None:
    args = parse_args()
    records = read_records(args.data_path, with_output=True)[args.skip :]
    if args.limit is not None:
        records = records[: args.limit]
    if not records:
        raise JobInputError(f"{args.data_path}: no pairs left after --skip={args.skip}")
    import torch

    placement = resolve_placement(args.device, args.dtype)
    print(f"evaluate: {placement.describe()}", file=sys.stderr, flush=True)
    model, tokenizer = load_model(args.base_model, args.checkpoint, placement)
    model.eval()
    examples = [e for r in records if (e := supervised_example(tokenizer, r, args.model_max_length)) is not None]
    if not examples:
        raise JobInputError(f"{args.data_path}: every prompt is longer than --model_max_length={args.model_max_length} tokens")
    total_loss = 0.0
    scored = 0
    correct = 0
    started = time.monotonic()
    for done, example in enumerate(examples, start=1):
        input_ids = torch.tensor([example["input_ids"]], device=placement.device)
        labels = torch.tensor([example["labels"]], device=placement.device)
        with torch.inference_mode():
            logits = model(input_ids=input_ids).logits[0, :-1].float()
        targets = labels[0, 1:]
        mask = targets != IGNORE_INDEX
        losses = torch.nn.functional.cross_entropy(logits[mask], targets[mask], reduction="none")
        total_loss += float(losses.sum())
        scored += int(mask.sum())
        correct += int((logits[mask].argmax(dim=-1) == targets[mask]).sum())
        print(f"evaluate: {done}/{len(examples)} scored ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
    loss = total_loss / scored
    results = {"heldout": {"loss": loss, "perplexity": math.exp(loss), "token_accuracy": correct / scored}}
    config = {"data_path": str(args.data_path), "skip": args.skip, "pairs": len(examples), "answer_tokens": scored, "model_max_length": args.model_max_length}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    partial = args.output.with_name(args.output.name + ".partial")
    partial.write_text(json.dumps({"results": results, "config": config}, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, args.output)
    print("PANDASWEEP_METRIC " + json.dumps({"step": 0, "heldout_answer_tokens": scored}), flush=True)
    print(f"evaluate: {len(examples)} held-out pairs, {scored} answer tokens: loss {loss:.4f}, perplexity {math.exp(loss):.2f} -> {args.output}", flush=True)


if __name__ == "__main__":
    run_job(main, "evaluate")
