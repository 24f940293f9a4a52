"""Alpaca's prompt and instruction files, as PandaLM's inst-tune.py and candidate inference use them.

Training data: Alpaca's JSON array (`[{"instruction", "input", "output"}]`) or JSON lines with the same
fields. Evaluation files: PandaLM's JSON array (`testset-inference-v1.json`; the id of an item is its
`id` or else its index) or JSON lines with `id`, `instruction` and `input`, exactly as pandasweep
reads them (core/spec/eval-set.ts), so the ids of `responses.jsonl` match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from job_errors import JobInputError, read_input_text

# Stanford Alpaca's PROMPT_DICT, unchanged (the candidates of the PandaLM paper were tuned with it); its one
# home is alpaca-prompt.json, which the builtin llama generator reads too.
_PROMPTS: dict[str, str] = json.loads(Path(__file__).with_name("alpaca-prompt.json").read_text(encoding="utf-8"))
PROMPT_INPUT = _PROMPTS["promptInput"]
PROMPT_NO_INPUT = _PROMPTS["promptNoInput"]


# Label of the prompt's tokens: the loss covers the answer only (transformers ignores -100).
IGNORE_INDEX = -100


def supervised_example(tokenizer: Any, record: "Record", max_length: int) -> dict[str, list[int]] | None:
    """One training (or scoring) example as inst-tune.py builds it: the Alpaca prompt, then the output and
    the end-of-sequence token, cut to `max_length` tokens, labels masked over the prompt. `None` when the
    prompt alone fills `max_length`, leaving no answer token to learn from or score."""
    prompt = build_prompt(record.instruction, record.input)
    prompt_ids = tokenizer(prompt, add_special_tokens=True)["input_ids"]
    full_ids = tokenizer(prompt + (record.output or "") + (tokenizer.eos_token or ""), add_special_tokens=True)["input_ids"][:max_length]
    labels = [IGNORE_INDEX] * min(len(prompt_ids), len(full_ids)) + full_ids[len(prompt_ids) :]
    if all(label == IGNORE_INDEX for label in labels):
        return None
    return {"input_ids": full_ids, "attention_mask": [1] * len(full_ids), "labels": labels}


def build_prompt(instruction: str, input_text: str = "") -> str:
    """The Alpaca prompt for one instruction, with the `### Input:` section only when there is an input."""
    if input_text.strip() == "":
        return PROMPT_NO_INPUT.format(instruction=instruction)
    return PROMPT_INPUT.format(instruction=instruction, input=input_text)


@dataclass(frozen=True)
class Record:
    """One instruction of a file, with where it came from for error messages."""

    id: str
    instruction: str
    input: str
    output: str | None
    where: str


def _read_items(path: Path) -> tuple[list[tuple[object, str]], bool]:
    """The items of a JSON array or JSON-lines file with their places, and whether it was an array."""
    text = read_input_text(path, str(path))
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise JobInputError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
        if not isinstance(items, list):
            raise JobInputError(f"{path}: expected a JSON array of objects, got {type(items).__name__}")
        return [(item, f"{path} item {index}") for index, item in enumerate(items)], True
    parsed: list[tuple[object, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "":
            continue
        try:
            parsed.append((json.loads(line), f"{path}:{number}"))
        except json.JSONDecodeError as error:
            raise JobInputError(f"{path}:{number}:{error.colno}: invalid JSON: {error.msg}") from None
    return parsed, False


def _text_field(item: dict[str, object], name: str, where: str, *, required: bool) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and value.strip() == ""):
        raise JobInputError(f"{where}: expected `{name}` to be a non-empty string, got {json.dumps(value)}")
    return value


def read_records(path: Path, *, with_output: bool) -> list[Record]:
    """Reads a training file (`with_output`) or an evaluation file; raises JobInputError naming the place."""
    records: list[Record] = []
    seen: dict[str, str] = {}
    items, is_array = _read_items(path)
    for index, (item, where) in enumerate(items):
        if not isinstance(item, dict):
            raise JobInputError(f"{where}: expected an object with instruction and input, got {json.dumps(item)[:60]}")
        # As pandasweep numbers them: an array item without an id is its index; an evaluation line needs one.
        raw_id = item.get("id", index if is_array or with_output else None)
        if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
            raise JobInputError(f"{where}: expected `id` to be a string or an integer, got {json.dumps(raw_id)}")
        record = Record(
            id=str(raw_id),
            instruction=_text_field(item, "instruction", where, required=True),
            input=_text_field(item, "input", where, required=False),
            output=_text_field(item, "output", where, required=True) if with_output else None,
            where=where,
        )
        if record.id in seen:
            raise JobInputError(f"{where}: duplicate id {json.dumps(record.id)} (first at {seen[record.id]})")
        seen[record.id] = where
        records.append(record)
    if not records:
        raise JobInputError(f"{path}: no instructions in it")
    return records

