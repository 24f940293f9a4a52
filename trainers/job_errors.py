"""How the shipped jobs fail: one line on stderr that says what to fix, and an exit code pandasweep records.

Exit codes: 2 for bad input (a missing or malformed data file, an unknown model, a bad flag), 3 for
running out of memory. Anything else is a bug and keeps Python's traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_OUT_OF_MEMORY = 3


class JobInputError(Exception):
    """Input the user can fix: the message names the file or flag and what was expected."""


def read_input_text(path: Path, where: str) -> str:
    """The UTF-8 text of an input file; a missing, unreadable or non-UTF-8 file is a JobInputError naming `where`."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobInputError(f"{where}: no such file") from None
    except UnicodeDecodeError as error:
        raise JobInputError(f"{where}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise JobInputError(f"{where}: cannot read it ({error.strerror})") from None


def is_out_of_memory(error: BaseException) -> bool:
    """Whether `error` is torch's or Python's out-of-memory (CUDA's, or the CPU allocator's)."""
    import torch

    if isinstance(error, torch.OutOfMemoryError | MemoryError):
        return True
    text = str(error)
    return isinstance(error, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def run_job(main: Callable[[], None], job: str) -> None:
    """Runs `main`, turning input errors and out-of-memory into one line and an exit code."""
    try:
        main()
    except JobInputError as error:
        print(f"{job}: error: {error}", file=sys.stderr, flush=True)
        sys.exit(EXIT_BAD_INPUT)
    except (RuntimeError, MemoryError) as error:
        if not is_out_of_memory(error):
            raise
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(
            f"{job}: error: out of memory ({first_line}); lower per_device_train_batch_size or "
            "model_max_length, raise gradient_accumulation_steps, or use LoRA",
            file=sys.stderr,
            flush=True,
        )
        sys.exit(EXIT_OUT_OF_MEMORY)
