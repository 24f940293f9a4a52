"""Reference throughput of PandaLM's own judge pipeline, in Hugging Face transformers, for the judge benchmarks.

    trainers/python bench/pandalm-reference.py --model models/SmolLM2-135M-Instruct.Q4_1.gguf --prompts FILE.json
        [--threads 2] [--num_beams 4] [--repetition_penalty 1.2] [--max_new_tokens 512] [--limit N]

It reproduces `PandaLMBatchInferenceProvider` in WeOpenML/PandaLM, `pandalm/utils/pandalm_inference.py`
(read at commit 3871806e72b4832f815ecafd24d3503c73403f48): each prompt is tokenized on its own, without
truncation, and judged alone (batch 1) by beam search,

    generate(input_ids, GenerationConfig(temperature=0, top_p=1, top_k=1, num_beams=4, early_stopping=True,
             repetition_penalty=1.2), return_dict_in_generate=True, output_scores=True, max_new_tokens=512)

(sampling off: the temperature and top-k/top-p values have no effect on beam search); then the whole sequence,
prompt included, is decoded with its special tokens, cut after `### Evaluation:`, and cleaned of PandaLM's
special-token strings; the verdict is the first line of that text ("1", "2", or "Tie").

FILE.json is a JSON array of complete prompts: the TypeScript side builds PandaLM's prompt
(core/judge-formats/pandalm.ts), so both pipelines judge exactly the same text. The model and its
tokenizer load as the shipped jobs load them (trainers/hf_models.py); a `.gguf` file is de-quantized by
transformers. Deliberate differences from PandaLM's script, which was written for its LLaMA-7B checkpoint:

- the model keeps its own BOS/EOS/pad tokens (PandaLM adds `</s>`/`[PAD]` strings to the tokenizer and
  forces ids pad 0, bos 1, eos 2, which are LLaMA-1's; generation stops at the model's EOS in both cases);
- no torch.compile: PandaLM compiles the model, but `generate` on the compiled wrapper runs the original,
  uncompiled module, so it changes nothing there;
- `--dtype auto` runs bfloat16 (PandaLM's dtype) only on a GPU that supports it and float32 on a CPU,
  where bfloat16 matmuls lack native kernels on most machines and would make the reference look slower
  than it needs to be;
- the attention mask is passed explicitly (all ones for one unpadded prompt, what generate() infers);
  inference_mode instead of no_grad.

Prints one JSON document on stdout (progress goes to stderr). Model loading and one short warm-up
generation on the first prompt are not timed; the timed part covers tokenizing, generating, decoding and
parsing every prompt. Exit code 2 for bad input (trainers/job_errors.py).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "trainers"))

from job_errors import JobInputError, read_input_text, run_job  # noqa: E402

JOB = "pandalm-reference"

#: The header PandaLM cuts the decoded sequence at: the judge's answer follows it.
EVALUATION_HEADER = "### Evaluation:"

#: Special-token strings PandaLM removes from the judge's answer (the same list as core/judge-formats/pandalm.ts).
SPECIAL_TOKEN_STRINGS: tuple[str, ...] = (
    "<unk>",
    "<pad>",
    "<s>",
    "</s>",
    "[PAD]",
    "<|endoftext|>",
    "[UNK]",
    "[CLS]",
    "[MASK]",
    "<|startofpiece|>",
    "<|endofpiece|>",
    "[gMASK]",
    "[sMASK]",
)
SPECIAL_TOKENS = re.compile("|".join(re.escape(token) for token in SPECIAL_TOKEN_STRINGS))


@dataclass(frozen=True)
class Judgment:
    """One judged prompt: its token counts, the cleaned answer and the parsed verdict."""

    prompt_tokens: int
    new_tokens: int
    answer: str
    verdict: int | None
    seconds: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time PandaLM's judge inference (transformers beam search, batch 1) on prepared prompts.",
    )
    parser.add_argument("--model", required=True, help="Hugging Face id, local folder, or .gguf file of the judge")
    parser.add_argument("--prompts", required=True, type=Path, help="JSON array of complete PandaLM prompts")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's own choice)")
    parser.add_argument("--num_beams", type=int, default=4, help="beam search width (default: 4, as PandaLM)")
    parser.add_argument("--repetition_penalty", type=float, default=1.2, help="(default: 1.2, as PandaLM)")
    parser.add_argument("--max_new_tokens", type=int, default=512, help="longest answer in new tokens (default: 512, as PandaLM)")
    parser.add_argument("--limit", type=int, help="judge only the first N prompts (default: all)")
    parser.add_argument(
        "--dtype",
        choices=("auto", "bfloat16", "float32"),
        default="auto",
        help="weights dtype; auto: bfloat16 (PandaLM's) on a GPU that supports it, float32 otherwise (default: auto)",
    )
    parser.add_argument(
        "--warmup_new_tokens",
        type=int,
        default=16,
        help="new tokens of the untimed warm-up generation on the first prompt; 0 skips it (default: 16)",
    )
    args = parser.parse_args()
    for name in ("threads", "num_beams", "max_new_tokens", "limit"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name} must be at least 1, got {value}")
    if args.warmup_new_tokens < 0:
        parser.error(f"--warmup_new_tokens must be at least 0, got {args.warmup_new_tokens}")
    return args


def json_kind(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def read_prompts(path: Path, limit: int | None) -> list[str]:
    """The prompts of a JSON array of strings, the first `limit` of them when a limit is given."""
    text = read_input_text(path, f"--prompts {path}")
    try:
        prompts = json.loads(text)
    except json.JSONDecodeError as error:
        raise JobInputError(f"--prompts {path}: not JSON ({error})") from None
    if not isinstance(prompts, list):
        raise JobInputError(f"--prompts {path}: expected a JSON array of prompt strings, got a JSON {json_kind(prompts)}")
    if not prompts:
        raise JobInputError(f"--prompts {path}: the array is empty")
    for index, prompt in enumerate(prompts):
        if not isinstance(prompt, str):
            raise JobInputError(f"--prompts {path}: item {index} is a JSON {json_kind(prompt)}, not a prompt string")
    return prompts if limit is None else prompts[:limit]


def choose_device_and_dtype(requested: str) -> tuple[str, Any]:
    """The device PandaLM's `device_map="auto"` would pick for one chip, and the weights dtype."""
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "bfloat16":
        return device, torch.bfloat16
    if requested == "float32":
        return device, torch.float32
    bf16_native = device == "cuda" and torch.cuda.is_bf16_supported()
    return device, torch.bfloat16 if bf16_native else torch.float32


def load_judge(model: str, device: str, dtype: Any) -> tuple[Any, Any]:
    """The judge model (in eval mode, on `device`) and its tokenizer, loaded as the shipped jobs load them."""
    from hf_models import load_causal_lm, load_tokenizer, model_source

    source = model_source(model)
    tokenizer = load_tokenizer(source)
    judge = load_causal_lm(source, dtype=dtype).to(device)
    judge.eval()
    return judge, tokenizer


def generation_config(num_beams: int, repetition_penalty: float, max_new_tokens: int, tokenizer: Any) -> Any:
    """PandaLM's generation settings (sampling off), with the model's own pad and EOS tokens. PandaLM passes
    the last three as generate() arguments beside its config; one config is the same and not deprecated."""
    from transformers import GenerationConfig

    return GenerationConfig(  # type: ignore[no-untyped-call]
        temperature=0,
        top_p=1,
        top_k=1,
        num_beams=num_beams,
        early_stopping=True,
        repetition_penalty=repetition_penalty,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        return_dict_in_generate=True,
        output_scores=True,
        max_new_tokens=max_new_tokens,
    )


def evaluation_text(decoded: str) -> str:
    """PandaLM's post-processing: the text after the first `### Evaluation:` (up to a second one, since PandaLM
    keeps the second piece of a split), trimmed, with its special-token strings removed."""
    pieces = decoded.strip().split(EVALUATION_HEADER)
    answer = pieces[1] if len(pieces) > 1 else pieces[0]
    return SPECIAL_TOKENS.sub("", answer.strip()).strip()


def parse_verdict(answer: str) -> int | None:
    """The verdict on the answer's first line: 1, 2, 0 for "Tie" (any case), None for anything else
    (PandaLM's `parse_pandalm_response` counts that as 0 too)."""
    first_line = answer.strip().split("\n")[0]
    if first_line in ("1", "2"):
        return int(first_line)
    return 0 if first_line.lower() == "tie" else None


def judge_prompt(judge: Any, tokenizer: Any, prompt: str, config: Any) -> Judgment:
    """Judges one prompt alone, as PandaLM does: tokenize (no truncation), beam search, decode all, cut, parse."""
    import torch

    started = time.perf_counter()
    encoded = tokenizer(prompt, return_tensors="pt", padding=True)
    input_ids = encoded["input_ids"].to(judge.device)
    attention_mask = encoded["attention_mask"].to(judge.device)
    with torch.inference_mode():
        output = judge.generate(input_ids=input_ids, attention_mask=attention_mask, generation_config=config)
    sequence = output.sequences[0]
    answer = evaluation_text(tokenizer.decode(sequence))
    verdict = parse_verdict(answer)
    return Judgment(
        prompt_tokens=int(input_ids.shape[1]),
        new_tokens=int(sequence.shape[0] - input_ids.shape[1]),
        answer=answer,
        verdict=verdict,
        seconds=time.perf_counter() - started,
    )


def report(args: argparse.Namespace, threads: int, device: str, dtype: Any, judgments: list[Judgment], seconds: float) -> dict[str, Any]:
    """The benchmark's JSON document."""
    count = len(judgments)
    prompt_tokens = sum(j.prompt_tokens for j in judgments)
    return {
        "pipeline": JOB,
        "model": args.model,
        "device": device,
        "dtype": str(dtype).removeprefix("torch."),
        "threads": threads,
        "numBeams": args.num_beams,
        "repetitionPenalty": args.repetition_penalty,
        "maxNewTokens": args.max_new_tokens,
        "judgments": count,
        "seconds": seconds,
        "judgmentsPerSecond": count / seconds,
        "meanPromptTokens": prompt_tokens / count,
        "meanNewTokens": sum(j.new_tokens for j in judgments) / count,
        "promptTokensPerSecond": prompt_tokens / seconds,
        "verdicts": [j.verdict for j in judgments],
    }


def main() -> None:
    args = parse_args()
    prompts = read_prompts(args.prompts, args.limit)
    import torch

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    device, dtype = choose_device_and_dtype(args.dtype)
    # Only the JSON document goes to stdout: anything a library prints goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        judge, tokenizer = load_judge(args.model, device, dtype)
        config = generation_config(args.num_beams, args.repetition_penalty, args.max_new_tokens, tokenizer)
        if args.warmup_new_tokens > 0:
            warmup_config = copy.deepcopy(config)
            warmup_config.max_new_tokens = min(args.warmup_new_tokens, args.max_new_tokens)
            warmup = judge_prompt(judge, tokenizer, prompts[0], warmup_config)
            print(f"{JOB}: warm-up: {warmup.new_tokens} new tokens in {warmup.seconds:.1f} s (not timed)", flush=True)
        judgments: list[Judgment] = []
        started = time.perf_counter()
        for index, prompt in enumerate(prompts, start=1):
            judgment = judge_prompt(judge, tokenizer, prompt, config)
            judgments.append(judgment)
            print(
                f"{JOB}: {index}/{len(prompts)} judged: {judgment.prompt_tokens} prompt + {judgment.new_tokens} new tokens "
                f"in {judgment.seconds:.1f} s, verdict {judgment.verdict}, answer {judgment.answer[:60]!r}",
                flush=True,
            )
        seconds = time.perf_counter() - started
    print(json.dumps(report(args, torch.get_num_threads(), device, dtype, judgments, seconds)))


if __name__ == "__main__":
    run_job(main, JOB)
