"""Loading a base model for the shipped jobs: a Hugging Face id, a local folder, or a GGUF file.

A GGUF file is de-quantized by transformers (`from_pretrained(folder, gguf_file=name)`), so the same
job tunes LLaMA-7B from the hub on a GPU and SmolLM2's GGUF on a laptop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from job_errors import JobInputError


@dataclass(frozen=True)
class ModelSource:
    """Where `from_pretrained` reads a model: a hub id or folder, plus the GGUF file name inside it."""

    name_or_path: str
    gguf_file: str | None

    def kwargs(self) -> dict[str, Any]:
        return {} if self.gguf_file is None else {"gguf_file": self.gguf_file}

    def describe(self) -> str:
        return self.name_or_path if self.gguf_file is None else str(Path(self.name_or_path) / self.gguf_file)


def model_source(name_or_path: str, gguf_file: str | None = None) -> ModelSource:
    """Splits `folder/model.gguf` into what `from_pretrained` wants; checks that a local path exists."""
    path = Path(name_or_path)
    if gguf_file is None and path.suffix == ".gguf":
        if not path.is_file():
            raise JobInputError(f"model {name_or_path}: no such GGUF file")
        return ModelSource(str(path.parent), path.name)
    looks_local = name_or_path.startswith((".", "/", "~")) or path.exists()
    if looks_local and not path.exists():
        raise JobInputError(f"model {name_or_path}: no such folder")
    if gguf_file is not None and not (path / gguf_file).is_file():
        raise JobInputError(f"model {name_or_path}: no GGUF file {gguf_file} in it")
    return ModelSource(name_or_path, gguf_file)


def _load_failure(source: ModelSource, what: str, error: Exception) -> JobInputError:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    hint = "" if Path(source.name_or_path).exists() else " (a Hugging Face id needs the hub or a local copy: pass a folder or a .gguf file)"
    return JobInputError(f"cannot load the {what} of {source.describe()}: {first}{hint}")


def load_tokenizer(source: ModelSource) -> Any:
    """The model's tokenizer, with a padding token (its end-of-sequence token when it has none)."""
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(source.name_or_path, **source.kwargs())
    except (OSError, ValueError, KeyError) as error:
        raise _load_failure(source, "tokenizer", error) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_causal_lm(source: ModelSource, **kwargs: Any) -> Any:
    """The causal language model (fp32 unless `dtype` says otherwise)."""
    from transformers import AutoModelForCausalLM

    try:
        model = AutoModelForCausalLM.from_pretrained(source.name_or_path, **source.kwargs(), **kwargs)
    except (OSError, ValueError, KeyError) as error:
        raise _load_failure(source, "weights", error) from None
    quantizer = getattr(model, "hf_quantizer", None)
    if source.gguf_file is not None and quantizer is not None and not getattr(quantizer, "packed_modules", None):
        # transformers unpacked every GGUF block into plain weights (no GGUF matmul kernel here), yet still
        # marks the model as GGUF-quantized, which makes Trainer refuse it; the weights are ordinary tensors.
        quantizer.remove_quantization_config(model)
    return model
