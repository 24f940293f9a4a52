"""Answers evaluation instructions with a tuned model, the way PandaLM's candidate inference does.

    trainers/python trainers/generate.py --base_model=MODEL [--checkpoint=DIR] --eval_file=FILE --output=FILE
    trainers/python trainers/generate.py --base_model=MODEL [--checkpoint=DIR] --instruction="..." [--input="..."]

- MODEL is the base model the trial was tuned from: a Hugging Face id, a local folder, or a `.gguf` file.
- DIR is the training job's output: a LoRA adapter (adapter_config.json) applied to MODEL, or a full
  model folder used instead of MODEL. Without it the base model itself answers.
- FILE is PandaLM's JSON array (`testset-inference-v1.json`, id = index) or JSON lines with id,
  instruction and input. The output is pandasweep's `responses.jsonl`: one {"id", "response"} per
  instruction, written to a temporary file and renamed when complete.
- `--instruction` answers one instruction and prints the answer (a quick look at a checkpoint).

Every prompt is Alpaca's. Decoding is greedy by default; PandaLM's candidates used
`--num_beams=4 --repetition_penalty=1.2 --max_new_tokens=300`. Prompts are answered in batches
(`--batch_size`, left-padded); an answer ends where the model starts a new `### ` section of the
prompt format. Each finished batch prints a progress line, which pandasweep shows
in the job's heartbeat. The model runs on the visible GPU(s) when there are any, in bfloat16 or
float16, else on the CPU in float32 (`--device`, `--dtype`; trainers/devices.py). Exit codes: 2 for
bad input, 3 for out of memory (trainers/job_errors.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from alpaca import Record, build_prompt, read_records
from devices import Placement, add_placement_arguments, resolve_placement
from job_errors import JobInputError, is_out_of_memory, run_job


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Answer instructions with a base model plus a trial's adapter or checkpoint.")
    parser.add_argument("--base_model", required=True, help="Hugging Face id, local folder, or .gguf file the trial was tuned from")
    parser.add_argument("--checkpoint", help="LoRA adapter folder or full model folder (the training job's output)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--eval_file", type=Path, help="PandaLM JSON array or JSON lines with id, instruction, input")
    source.add_argument("--instruction", help="answer this one instruction and print the answer")
    parser.add_argument("--input", default="", help="context for --instruction (default: none)")
    parser.add_argument("--output", type=Path, help="responses.jsonl to write (required with --eval_file)")
    parser.add_argument("--limit", type=int, help="answer only the first N instructions (default: all)")
    parser.add_argument("--max_new_tokens", type=int, default=300, help="longest answer in new tokens (default: 300, as PandaLM)")
    parser.add_argument("--num_beams", type=int, default=1, help="beam search width; 1 is greedy (default: 1; PandaLM used 4)")
    parser.add_argument("--repetition_penalty", type=float, default=1.0, help="(default: 1.0; PandaLM used 1.2)")
    parser.add_argument("--batch_size", type=int, default=8, help="prompts answered together (default: 8)")
    parser.add_argument("--model_max_length", type=int, default=1024, help="prompt tokens kept, from the end (default: 1024)")
    add_placement_arguments(parser)
    args = parser.parse_args()
    if args.eval_file is not None and args.output is None:
        parser.error("--output is required with --eval_file")
    for name in ("max_new_tokens", "num_beams", "batch_size", "model_max_length"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    return args


def load_model(base_model: str, checkpoint: str | None, placement: Placement) -> tuple[Any, Any]:
    """The base model with the trial's adapter merged in (or the trial's full model), and its tokenizer, placed as `placement` says."""
    from hf_models import load_causal_lm, load_tokenizer, model_source

    base = model_source(base_model)
    place = placement.load_kwargs()
    if checkpoint is None:
        return load_causal_lm(base, **place), load_tokenizer(base)
    folder = Path(checkpoint)
    if not folder.is_dir():
        raise JobInputError(f"--checkpoint {checkpoint}: no such folder")
    if (folder / "adapter_config.json").is_file():
        from peft import PeftModel

        model = load_causal_lm(base, **place)
        try:
            model = PeftModel.from_pretrained(model, str(folder)).merge_and_unload()
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            if is_out_of_memory(error):
                raise  # run_job reports it as out of memory (exit 3), not as a bad checkpoint
            raise JobInputError(f"--checkpoint {checkpoint}: cannot apply the adapter to {base.describe()}: {str(error).splitlines()[0]}") from None
        tokenizer = load_tokenizer(base)
    elif (folder / "config.json").is_file():
        full = model_source(str(folder))
        model, tokenizer = load_causal_lm(full, **place), load_tokenizer(full if (folder / "tokenizer_config.json").is_file() else base)
    else:
        raise JobInputError(f"--checkpoint {checkpoint}: neither a LoRA adapter (adapter_config.json) nor a model (config.json)")
    return model, tokenizer


def cut_at_next_section(text: str) -> str:
    """The answer up to the next Alpaca section header: a model that goes on to write `### Instruction:`
    for a task of its own has finished answering this one."""
    header = text.find("\n### ")
    return (text if header == -1 else text[:header]).strip()


def answer(model: Any, tokenizer: Any, records: list[Record], args: argparse.Namespace, device: str) -> list[str]:
    """Answers the records in batches, printing one progress line per batch."""
    import torch

    tokenizer.padding_side = "left"  # Decoder-only models continue from the last position: pad on the left.
    tokenizer.truncation_side = "left"  # An over-long prompt keeps its end, where `### Response:` is.
    model.eval()
    answers: list[str] = []
    started = time.monotonic()
    for start in range(0, len(records), args.batch_size):
        batch = records[start : start + args.batch_size]
        prompts = [build_prompt(r.instruction, r.input) for r in batch]
        encoded = tokenizer(prompts, return_tensors="pt", padding=True, truncation=True, max_length=args.model_max_length).to(device)
        with torch.inference_mode():
            output = model.generate(
                **encoded,
                max_new_tokens=args.max_new_tokens,
                do_sample=False,
                num_beams=args.num_beams,
                repetition_penalty=args.repetition_penalty,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )
        new_tokens = output[:, encoded["input_ids"].shape[1] :]
        answers.extend(cut_at_next_section(text) for text in tokenizer.batch_decode(new_tokens, skip_special_tokens=True))
        done = len(answers)
        elapsed = time.monotonic() - started
        print(f"generate: {done}/{len(records)} answered ({elapsed:.0f} s, {elapsed / done:.1f} s each)", file=sys.stderr, flush=True)
    return answers


def main() -> None:
    args = parse_args()
    if args.instruction is not None:
        records = [Record(id="0", instruction=args.instruction, input=args.input, output=None, where="--instruction")]
    else:
        records = read_records(args.eval_file, with_output=False)
        if args.limit is not None:
            records = records[: args.limit]
    placement = resolve_placement(args.device, args.dtype)
    print(f"generate: {placement.describe()}", file=sys.stderr, flush=True)
    model, tokenizer = load_model(args.base_model, args.checkpoint, placement)
    answers = answer(model, tokenizer, records, args, placement.device)
    if args.instruction is not None:
        print(answers[0])
        return
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as file:
        for record, text in zip(records, answers, strict=True):
            file.write(json.dumps({"id": record.id, "response": text}, ensure_ascii=False) + "\n")
    os.replace(partial, output)
    print(f"generate: wrote {len(answers)} responses to {output}", flush=True)


if __name__ == "__main__":
    run_job(main, "generate")
