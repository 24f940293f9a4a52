"""Supervised instruction tuning the way PandaLM's inst-tune.py (and Stanford Alpaca) do it.

    trainers/python trainers/finetune.py --model_name_or_path=MODEL --data_path=FILE --output_dir=DIR \
        [--use_lora=true --lora_r=8 --lora_alpha=16 --lora_dropout=0.05 --lora_target_modules=q_proj,v_proj] \
        [--model_max_length=512] [--stop_at_epoch=E] [any Hugging Face TrainingArguments flag, e.g. --learning_rate=2e-5]

- MODEL is a Hugging Face id, a local folder, or a `.gguf` file (de-quantized by transformers).
- FILE is Alpaca's JSON array of {instruction, input, output} or JSON lines with those fields.
- Each example is the Alpaca prompt followed by the output and the end-of-sequence token; the loss
  covers the output tokens only. Examples are cut to `model_max_length` tokens.
- LoRA (PEFT) by default; `--use_lora=false` fine-tunes every weight.
- `--stop_at_epoch=E` (early termination's rungs, `{{trial.stopEpoch}}`) stops after E epochs (fractions
  allowed) with the schedule of all `--num_train_epochs` unchanged, saving a checkpoint there; run again
  with a later E it resumes from that checkpoint, step numbers and learning rate continuing. The rung's
  checkpoint (`DIR/checkpoint-<step>`, announced as usual) is kept, so `--save_total_limit` is refused.

What pandasweep reads: a `PANDASWEEP_METRIC {"step", "loss", "learning_rate", "epoch", "grad_norm"}`
line at every logging step, `PANDASWEEP_CHECKPOINT {"step", "path"}` at every save, and
`DIR/metrics.json` with the final training metrics. DIR then holds the adapter (or the full model) and
the tokenizer. When DIR already has `checkpoint-*` folders (an earlier attempt was stopped), training
resumes from the newest. Exit codes: 2 for bad input, 3 for out of memory (trainers/job_errors.py).
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alpaca import IGNORE_INDEX, read_records, supervised_example
from job_errors import JobInputError, run_job


@dataclass
class ModelArguments:
    model_name_or_path: str = field(metadata={"help": "Hugging Face id, local folder, or a .gguf file"})
    gguf_file: str | None = field(default=None, metadata={"help": "GGUF file inside a folder or hub repo (implied by a .gguf path)"})


@dataclass
class DataArguments:
    data_path: str = field(metadata={"help": "Alpaca JSON array or JSON lines with instruction, input, output"})
    model_max_length: int = field(default=512, metadata={"help": "Longest example in tokens; longer ones are cut"})
    max_train_samples: int | None = field(default=None, metadata={"help": "Use only the first N examples"})


@dataclass
class StopArguments:
    stop_at_epoch: float | None = field(
        default=None,
        metadata={"help": "Stop after this many epochs, keeping the schedule of --num_train_epochs (early termination's rung); default: train to the end"},
    )


@dataclass
class LoraArguments:
    use_lora: bool = field(default=True, metadata={"help": "Train a LoRA adapter (PEFT) instead of every weight"})
    lora_r: int = field(default=8, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=16, metadata={"help": "LoRA scaling numerator"})
    lora_dropout: float = field(default=0.05, metadata={"help": "Dropout on the LoRA input"})
    lora_target_modules: str = field(default="q_proj,v_proj", metadata={"help": "Comma-separated module names LoRA adapts"})
    warmup_ratio: float | None = field(
        default=None,
        metadata={"help": "transformers 4.x name of a fractional warmup; passed on as --warmup_steps (Alpaca's scripts use it)"},
    )


class SupervisedDataset:
    """Alpaca examples tokenized once, labels masked over the prompt."""

    def __init__(self, path: Path, tokenizer: Any, max_length: int, limit: int | None) -> None:
        records = read_records(path, with_output=True)
        if limit is not None:
            records = records[:limit]
        # An example whose prompt alone fills model_max_length has nothing to learn from: it is left out.
        self.examples = [example for record in records if (example := supervised_example(tokenizer, record, max_length)) is not None]
        if not self.examples:
            raise JobInputError(f"{path}: every example's prompt is longer than model_max_length={max_length} tokens")

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> dict[str, list[int]]:
        return self.examples[index]


def _stop_callback(stop_at_epoch: float) -> Any:
    from transformers import TrainerCallback

    class StopAtEpoch(TrainerCallback):
        """Ends training after `stop_at_epoch` epochs with a checkpoint, leaving the schedule as it is."""

        def __init__(self) -> None:
            self.saved_step: int | None = None

        def on_step_end(self, args: Any, state: Any, control: Any, **_: Any) -> None:
            if state.epoch is not None and state.epoch >= stop_at_epoch - 1e-9:
                control.should_save = True
                control.should_training_stop = True
                self.saved_step = state.global_step

        def on_epoch_end(self, args: Any, state: Any, control: Any, **_: Any) -> None:
            # A stop at an epoch's end was saved at its last step: `save_strategy=epoch` would save it twice.
            if self.saved_step == state.global_step:
                control.should_save = False

    return StopAtEpoch()


def _checkpoint_epoch(checkpoint: str) -> float:
    """The epoch a Trainer checkpoint was saved at, from its trainer_state.json (0 when unreadable)."""
    try:
        return float(json.loads((Path(checkpoint) / "trainer_state.json").read_text(encoding="utf-8")).get("epoch") or 0.0)
    except (OSError, ValueError):
        return 0.0


# What a Trainer checkpoint holds besides the model: left behind when a reached stop's model is copied out.
_TRAINER_STATE_FILES = {"optimizer.pt", "scheduler.pt", "trainer_state.json", "training_args.bin", "rng_state.pth", "scaler.pt"}


def _protocol_callback() -> Any:
    from transformers import TrainerCallback

    class PandasweepProtocol(TrainerCallback):
        """Prints the lines pandasweep stores: metrics at each log, checkpoints at each save."""

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **_: Any) -> None:
            if not state.is_world_process_zero or not logs:
                return
            values = {k: v for k, v in logs.items() if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)}
            print("PANDASWEEP_METRIC " + json.dumps({"step": state.global_step, **values}), flush=True)

        def on_save(self, args: Any, state: Any, control: Any, **_: Any) -> None:
            if not state.is_world_process_zero:
                return
            path = os.path.abspath(os.path.join(args.output_dir, f"checkpoint-{state.global_step}"))
            print("PANDASWEEP_CHECKPOINT " + json.dumps({"step": state.global_step, "path": path}), flush=True)

    return PandasweepProtocol()


def main() -> None:
    from transformers import HfArgumentParser, TrainingArguments

    # DataClassType is a NewType over Any in transformers' annotations; dataclass types are what it takes.
    parser = HfArgumentParser((ModelArguments, DataArguments, LoraArguments, StopArguments, TrainingArguments))  # type: ignore[arg-type]
    model_args, data_args, lora_args, stop_args, training_args = parser.parse_args_into_dataclasses()
    if lora_args.warmup_ratio is not None:
        training_args.warmup_steps = lora_args.warmup_ratio
    stop_at = stop_args.stop_at_epoch
    if stop_at is not None:
        if stop_at <= 0:
            raise JobInputError(f"--stop_at_epoch={stop_at}: expected a positive number of epochs")
        if training_args.save_total_limit is not None:
            raise JobInputError("--save_total_limit with --stop_at_epoch would delete the rung checkpoints early termination keeps; leave it out")
        if stop_at >= training_args.num_train_epochs:
            stop_at = None  # The last epoch: train to the end as usual.

    import torch
    from transformers import DataCollatorForSeq2Seq, Trainer
    from transformers.trainer_utils import get_last_checkpoint

    from hf_models import load_causal_lm, load_tokenizer, model_source

    source = model_source(model_args.model_name_or_path, model_args.gguf_file)
    data_path = Path(data_args.data_path)
    read_records(data_path, with_output=True)  # Fail on a bad data file before minutes of model loading.
    tokenizer = load_tokenizer(source)
    dataset = SupervisedDataset(data_path, tokenizer, data_args.model_max_length, data_args.max_train_samples)
    model = load_causal_lm(source, dtype=torch.bfloat16 if training_args.bf16 else torch.float32)
    if lora_args.use_lora:
        from peft import LoraConfig, get_peft_model

        targets = [name.strip() for name in lora_args.lora_target_modules.split(",") if name.strip()]
        try:
            model = get_peft_model(
                model,
                LoraConfig(r=lora_args.lora_r, lora_alpha=lora_args.lora_alpha, lora_dropout=lora_args.lora_dropout, target_modules=targets, task_type="CAUSAL_LM"),
            )
        except ValueError as error:
            raise JobInputError(f"--lora_target_modules={lora_args.lora_target_modules}: {str(error).splitlines()[0]}") from None
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    print(f"finetune: {len(dataset)} examples, {trainable:,} of {total:,} parameters trainable, model {source.describe()}", flush=True)
    precision = "bf16" if training_args.bf16 else "fp16" if training_args.fp16 else "fp32"
    gpus = f", {training_args.n_gpu} GPUs visible" if training_args.n_gpu > 1 else ""
    hint = " (--bf16=true or --fp16=true trains faster in less memory)" if training_args.device.type == "cuda" and precision == "fp32" else ""
    print(f"finetune: device {training_args.device}{gpus}, {precision}{hint}", flush=True)

    output_dir = Path(training_args.output_dir)
    resume = get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None  # type: ignore[no-untyped-call]
    if resume is not None and stop_at is not None and _checkpoint_epoch(resume) >= stop_at - 1e-9:
        # This stop was reached before (the job was interrupted after its checkpoint): nothing to train.
        _finish_from_checkpoint(resume, output_dir, tokenizer, len(dataset), stop_at)
        return
    if resume is not None:
        print(f"finetune: resuming from {resume}", flush=True)
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=dataset,
        data_collator=DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=IGNORE_INDEX, padding=True),
        callbacks=[_protocol_callback(), *([] if stop_at is None else [_stop_callback(stop_at)])],
    )
    result = trainer.train(resume_from_checkpoint=resume)
    trainer.save_model(str(output_dir))
    tokenizer.save_pretrained(str(output_dir))
    metrics = {k: v for k, v in result.metrics.items() if isinstance(v, int | float) and math.isfinite(v)}
    metrics["train_steps"] = result.global_step
    metrics["train_examples"] = len(dataset)
    metrics["epoch"] = float(trainer.state.epoch or 0.0)
    if stop_at is not None:
        print(f"finetune: stopped after epoch {trainer.state.epoch:g} of {training_args.num_train_epochs:g} (--stop_at_epoch); a later stop resumes here", flush=True)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(f"finetune: saved {'the LoRA adapter' if lora_args.use_lora else 'the model'} to {output_dir}", flush=True)


def _finish_from_checkpoint(checkpoint: str, output_dir: Path, tokenizer: Any, examples: int, epoch: float) -> None:
    """Makes a stop reached by an earlier attempt this job's result: its model in DIR, announced again."""
    for item in Path(checkpoint).iterdir():
        if item.is_file() and item.name not in _TRAINER_STATE_FILES and not item.name.startswith("rng_state"):
            shutil.copy2(item, output_dir / item.name)
    tokenizer.save_pretrained(str(output_dir))
    state = json.loads((Path(checkpoint) / "trainer_state.json").read_text(encoding="utf-8"))
    step = int(state.get("global_step", 0))
    print("PANDASWEEP_CHECKPOINT " + json.dumps({"step": step, "path": os.path.abspath(checkpoint)}), flush=True)
    metrics = {"train_steps": step, "train_examples": examples, "epoch": float(state.get("epoch") or epoch)}
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(f"finetune: epoch {epoch:g} was reached before ({checkpoint}); nothing left to train for this stop", flush=True)


if __name__ == "__main__":
    run_job(main, "finetune")
