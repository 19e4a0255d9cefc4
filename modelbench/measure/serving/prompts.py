"""Prompts for serving benchmarks: from a JSONL or CSV file, or synthetic of given lengths.

A file row holds a ``prompt`` (or chat ``messages``), and optionally a ``reference`` answer
(also read from ``answer``/``expected``) and ``max_tokens``. References are scored per item
in the same run by ``exact`` (after trimming and case folding), ``contains``, or any metric of
:mod:`modelbench.metrics` applied to the one pair.

Example:
    >>> ps = synthetic_prompts(2, input_tokens=3, output_tokens=8, seed=1)
    >>> [len(p.text.split()) for p in ps.prompts], ps.prompts[0].max_tokens
    ([3, 3], 8)
    >>> score_answer(" Paris. ", "paris.", "exact")
    1.0
    >>> score_answer("It is Paris", "Paris", "contains")
    1.0
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ValidationError

__all__ = ["Prompt", "PromptSet", "load_prompts", "synthetic_prompts", "score_answer"]

# A fixed vocabulary of common English words: one word is about one token for BPE tokenizers.
_WORDS = ("the of and to in is for that on with as by at from this be are it an or was which "
          "model time data value system number result test first output input token server "
          "request stream latency rate load").split()


@dataclass
class Prompt:
    """One request's input. ``messages`` (chat) wins over ``text`` for chat endpoints."""

    text: str = ""
    messages: list[dict[str, Any]] | None = None
    max_tokens: int | None = None
    reference: str | None = None
    item: str = ""  # the prompt's identity (row number or id), for per-item results

    def as_messages(self) -> list[dict[str, Any]]:
        return self.messages or [{"role": "user", "content": self.text}]

    def as_text(self) -> str:
        if self.text or not self.messages:
            return self.text
        return "\n".join(str(m.get("content", "")) for m in self.messages)


@dataclass
class PromptSet:
    """Prompts with a name (the result's ``dataset``) and how references are scored."""

    name: str
    prompts: list[Prompt] = field(default_factory=list)
    scoring: str = "exact"

    @property
    def has_references(self) -> bool:
        return any(p.reference is not None for p in self.prompts)

    def order(self, n_requests: int, seed: int) -> list[int]:
        """Prompt index of each request: the prompts in a seeded shuffled order, cycled."""
        if not self.prompts:
            raise ValidationError(f"prompt set {self.name!r} is empty")
        rng = np.random.default_rng(seed)
        out: list[int] = []
        while len(out) < n_requests:
            out.extend(int(i) for i in rng.permutation(len(self.prompts)))
        return out[:n_requests]


def _row_prompt(row: dict[str, Any], where: str) -> Prompt:
    messages = row.get("messages")
    if isinstance(messages, str) and messages.strip().startswith("["):
        messages = json.loads(messages)
    text = row.get("prompt", row.get("text", row.get("input", "")))
    if not text and not messages:
        raise ValidationError(f"{where}: no 'prompt' or 'messages'",
                              hint="each row needs a prompt (text) or messages (chat list)")
    if messages is not None and not isinstance(messages, list):
        raise ValidationError(f"{where}: 'messages' must be a list of {{role, content}}")
    reference = next((row[k] for k in ("reference", "answer", "expected")
                      if row.get(k) not in (None, "")), None)
    max_tokens = row.get("max_tokens")
    if max_tokens not in (None, ""):
        try:
            max_tokens = int(max_tokens)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"{where}: max_tokens {max_tokens!r} is not an integer") from exc
    else:
        max_tokens = None
    return Prompt(text=str(text or ""), messages=messages, max_tokens=max_tokens,
                  reference=None if reference is None else str(reference),
                  item=str(row.get("id", "")))


def load_prompts(path: str | Path, *, scoring: str = "exact") -> PromptSet:
    """Prompts from a ``.jsonl`` (one object a line) or ``.csv`` (a header row) file."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"prompt file {path} does not exist")
    rows: list[tuple[str, dict[str, Any]]] = []
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            for n, row in enumerate(csv.DictReader(handle), start=2):
                rows.append((f"{path}:{n}", row))
    else:
        from ..datasets import read_jsonl

        rows = [(f"{path}:{n}", row) for n, row in read_jsonl(path, strings="prompt")]
    prompts = [_row_prompt(row, where) for where, row in rows]
    for i, p in enumerate(prompts):
        p.item = p.item or str(i)
    if not prompts:
        raise ValidationError(f"prompt file {path} has no prompts")
    return PromptSet(name=path.stem, prompts=prompts, scoring=scoring)


def synthetic_prompts(n: int, *, input_tokens: int = 128, output_tokens: int = 128,
                      seed: int = 0) -> PromptSet:
    """``n`` prompts of ``input_tokens`` common words each, asking for ``output_tokens``."""
    if n < 1 or input_tokens < 1 or output_tokens < 1:
        raise ValidationError("synthetic prompts need n, input and output tokens >= 1")
    rng = np.random.default_rng(seed)
    prompts = [Prompt(text=" ".join(_WORDS[i] for i in rng.integers(0, len(_WORDS),
                                                                      input_tokens)),
                      max_tokens=output_tokens, item=str(k)) for k in range(n)]
    return PromptSet(name=f"synthetic-in{input_tokens}-out{output_tokens}", prompts=prompts)


def score_answer(prediction: str, reference: str, method: str = "exact") -> float:
    """Score one answer: 1.0/0.0 for ``exact``/``contains``, else a registered metric's value."""
    pred, ref = prediction.strip().casefold(), reference.strip().casefold()
    if method == "exact":
        return float(pred == ref)
    if method == "contains":
        return float(ref in pred)
    from ... import metrics

    return float(metrics.compute(method, [reference.strip()], [prediction.strip()]))
