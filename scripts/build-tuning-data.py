"""Rebuilds the instruction-tuning data the real sweeps use, from PandaLM's Apache-2.0 test set.

    python3 scripts/build-tuning-data.py [--pandalm-data ../shared/data/pandalm] [--out sweeps/data]

PandaLM's `testset-v1.json` holds 999 human-annotated comparisons over its 170 evaluation instructions:
two of five 7B models' responses to one instruction, and three annotators' verdicts. For each
instruction this script takes the response people preferred most (majority verdicts: win 1, tie 0.5;
ties broken by more comparisons, then the shorter text) and, when every candidate is empty, GPT-3.5's
`gpt_reference` answer. The instructions are split by a hash of their text (30% held out), so no
training instruction is an evaluation instruction:

- `tuning-train.json`: Alpaca's format, [{instruction, input, output}] for the training instructions;
- `tuning-eval.jsonl`: {id, instruction, input} lines for the held-out instructions (id `heldout-<n>`).

The output is deterministic; rerunning it gives byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict
from pathlib import Path

HELD_OUT_PERCENT = 30


def majority(item: dict[str, object]) -> int | None:
    votes = [item[f"annotator{n}"] for n in (1, 2, 3)]
    for verdict in (0, 1, 2):
        if votes.count(verdict) >= 2:
            return verdict
    return None


def as_text(value: object) -> str:
    # Six responses in the test set are JSON `true`; DESIGN.md says to read them as the text "True".
    return "True" if value is True else str(value or "").strip()


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pandalm-data", type=Path, default=here.parent / "shared" / "data" / "pandalm")
    parser.add_argument("--out", type=Path, default=here / "sweeps" / "data")
    args = parser.parse_args()

    testset = json.loads((args.pandalm_data / "testset-v1.json").read_text(encoding="utf-8"))
    gpt = {row["idx"]: row for row in json.loads((args.pandalm_data / "gpt-3.5-turbo-testset-v1.json").read_text(encoding="utf-8"))}

    # (instruction, input) -> candidate text -> [points, comparisons]
    scores: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    references: dict[tuple[str, str], str] = {}
    order: list[tuple[str, str]] = []
    for item in testset:
        key = (item["instruction"], item["input"])
        if key not in scores:
            order.append(key)
        verdict = majority(item)
        for side in (1, 2):
            text = as_text(item[f"response{side}"])
            if text == "":
                continue
            entry = scores[key][text]
            entry[1] += 1
            if verdict == side:
                entry[0] += 1.0
            elif verdict == 0:
                entry[0] += 0.5
        reference = as_text(gpt.get(item["idx"], {}).get("gpt_reference"))
        if reference and key not in references:
            references[key] = reference

    train: list[dict[str, str]] = []
    held_out: list[dict[str, str]] = []
    for instruction, input_text in order:
        digest = hashlib.sha256(f"{instruction}\n{input_text}".encode()).digest()
        if digest[0] * 100 // 256 < HELD_OUT_PERCENT:
            held_out.append({"id": f"heldout-{len(held_out)}", "instruction": instruction, "input": input_text})
            continue
        candidates = scores[(instruction, input_text)]
        if candidates:
            best = max(candidates.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[1][1], -len(kv[0])))[0]
        else:
            best = references.get((instruction, input_text), "")
        if best:
            train.append({"instruction": instruction, "input": input_text, "output": best})

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tuning-train.json").write_text(json.dumps(train, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "tuning-eval.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in held_out), encoding="utf-8")
    print(f"{len(train)} training examples, {len(held_out)} held-out instructions in {args.out}")


if __name__ == "__main__":
    main()
