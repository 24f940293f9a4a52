"""Where the shipped inference jobs (generate.py, evaluate.py) put a model: the visible GPU(s) or the CPU.

pandasweep gives a job its GPUs through `CUDA_VISIBLE_DEVICES` (the worker's slot), so "the GPUs" are
whatever torch sees. `--device=auto` (the default) uses them when there are any and the CPU otherwise;
`--dtype=auto` is bfloat16 on a GPU that has it, float16 on one that does not, and float32 on the CPU
(half precision on a CPU is slow and inexact). Several visible GPUs shard the model (`device_map="auto"`),
as a 7B model in fp16 on two 16 GB cards needs. The job log's first line says what was chosen.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from job_errors import JobInputError

DEVICES = ("auto", "cuda", "cpu")
DTYPES = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class Placement:
    """Where a model's weights go and in which precision."""

    device: str
    """Where inputs go: `cpu` or `cuda:0` (the first visible GPU, also the first shard)."""
    dtype: str
    """A torch dtype name: `float32`, `bfloat16` or `float16`."""
    gpus: int
    """Visible GPUs the model is spread over (0 on the CPU)."""
    gpu_name: str | None = None

    def load_kwargs(self) -> dict[str, Any]:
        """What `from_pretrained` takes for this placement."""
        import torch

        kwargs: dict[str, Any] = {"dtype": getattr(torch, self.dtype)}
        if self.gpus > 0:
            kwargs["device_map"] = "auto" if self.gpus > 1 else self.device
        return kwargs

    def describe(self) -> str:
        if self.gpus == 0:
            return f"device cpu, dtype {self.dtype}"
        name = f" ({self.gpu_name})" if self.gpu_name else ""
        spread = f", sharded over {self.gpus} GPUs" if self.gpus > 1 else ""
        return f"device {self.device}{name}{spread}, dtype {self.dtype}"


def choose_placement(device: str, dtype: str, *, visible_gpus: int, bf16_supported: bool, cuda_visible_devices: str | None, gpu_name: str | None = None) -> Placement:
    """Pure: the placement for the `--device`/`--dtype` flags given what torch sees."""
    if device not in DEVICES:
        raise JobInputError(f"--device={device}: expected one of {', '.join(DEVICES)}")
    if dtype not in DTYPES:
        raise JobInputError(f"--dtype={dtype}: expected one of {', '.join(DTYPES)}")
    if device == "cuda" and visible_gpus == 0:
        visible = "unset" if cuda_visible_devices is None else f'"{cuda_visible_devices}"'
        raise JobInputError(
            f"--device=cuda: no GPU is visible to this job (CUDA_VISIBLE_DEVICES={visible}, or a torch without CUDA); "
            "give the job gpus in the sweep file, or pass --device=auto to run on the CPU"
        )
    on_gpu = device == "cuda" or (device == "auto" and visible_gpus > 0)
    if not on_gpu:
        return Placement(device="cpu", dtype="float32" if dtype == "auto" else dtype, gpus=0)
    chosen = dtype if dtype != "auto" else ("bfloat16" if bf16_supported else "float16")
    return Placement(device="cuda:0", dtype=chosen, gpus=visible_gpus, gpu_name=gpu_name)


def resolve_placement(device: str = "auto", dtype: str = "auto") -> Placement:
    """The placement for these flags on this machine (asks torch what it sees)."""
    import torch

    visible = torch.cuda.device_count() if torch.cuda.is_available() else 0
    return choose_placement(
        device,
        dtype,
        visible_gpus=visible,
        bf16_supported=visible > 0 and torch.cuda.is_bf16_supported(),
        cuda_visible_devices=os.environ.get("CUDA_VISIBLE_DEVICES"),
        gpu_name=torch.cuda.get_device_name(0) if visible > 0 else None,
    )


def add_placement_arguments(parser: argparse.ArgumentParser) -> None:
    """`--device` and `--dtype`, with the defaults above."""
    parser.add_argument("--device", default="auto", choices=DEVICES, help="where the model runs: the visible GPU(s) when any, else the CPU (default: auto)")
    parser.add_argument(
        "--dtype", default="auto", choices=DTYPES, help="weights' precision: bfloat16 (or float16) on a GPU, float32 on the CPU (default: auto)"
    )
