"""Columns named by the toolkit a score was computed in name no data (real FSMT cards)."""

from __future__ import annotations

from modelbench.collect.huggingface import card_outcome

from .real_truth import REAL


def _card(name: str) -> str:
    return (REAL / "cards" / name).read_text(encoding="utf-8")


def test_fairseq_and_transformers_columns_are_no_datasets():
    # "| model | fairseq | transformers |" with the card's own row: the BLEU of the original
    # fairseq checkpoint beside its port's; neither column names the data (wmt16 en-de)
    for name, model in [("c126_allenai_wmt16-en-de-12-1.md", "allenai/wmt16-en-de-12-1"),
                        ("c127_allenai_wmt19-de-en-6-6-big.md", "allenai/wmt19-de-en-6-6-big")]:
        out = card_outcome(model, _card(name))
        assert [r.dataset for r in out.results] == []
        assert any("row of this card's model" in n for n in out.notes)  # said, not silent
