"""The real fixtures under ``fixtures/real`` and the truth a careful human read from them.

Runs the collectors on the real model cards (served by a local mock Hub), saved leaderboard
pages and Papers-with-Code files, and scores what they return against ``truth.json``:

* *labelled*: an expected result stored with the right model, dataset, metric and value;
* *exact*: labelled and with the right dataset config and split too (a split compared by the
  store's name for it: "dev" and "val" are ``validation``);
* *verbatim*: exact, and model, dataset, config and split as the truth writes them (case and
  spacing included); the rest of *exact* is right only after canonicalisation (:func:`norm`
  folds case, spaces, punctuation and symbols such as a medal after a name);
* *phantom*: a stored row that matches no expected result (model, dataset, metric, value).

Used by ``tests/collect/test_real_fixtures.py`` and ``benchmarks/bench_collect_accuracy.py``.

Example:
    >>> norm("SQuAD 2.0"), norm("squad2.0"), metric_key("ROUGE-1"), metric_key("rouge1")
    ('squad20', 'squad20', 'rouge1', 'rouge1')
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
TRUTH_FILE = REAL / "truth.json"
#: cards/index.json: card file -> the Hub id it is served under.
CARD_IDS_FILE = REAL / "cards" / "index.json"


def truth() -> dict[str, Any]:
    """``{"cards"|"pages"|"pwc": {file: {"model"?, "results": [...], "unreadable": n}}}``."""
    return json.loads(TRUTH_FILE.read_text(encoding="utf-8"))


def card_ids() -> dict[str, str]:
    return json.loads(CARD_IDS_FILE.read_text(encoding="utf-8"))


def norm(text: Any) -> str:
    """Case, spacing and punctuation folded away (how a reader compares two names)."""
    return re.sub(r"[^a-z0-9@{}+]", "", str(text or "").lower())


def split_key(name: Any) -> str:
    """A split as the store names it: a truth's "dev" or "val" as printed is the store's
    ``validation`` (outcome.SPLIT_WORDS), as a metric is compared by its canonical name."""
    from modelbench.collect.outcome import SPLIT_WORDS

    printed = str(name or "").strip()
    return norm(SPLIT_WORDS.get(printed.lower(), printed))


def metric_key(name: str) -> str:
    from modelbench.metrics import canonical_name

    return norm(canonical_name(str(name)))


def _config(record: Any) -> str:
    return str(record.dataset_config or "")


def _verbatim(record: Any, want: dict[str, Any]) -> bool:
    """Labels exactly as the truth writes them (spacing collapsed), the metric canonical."""
    def same(a: Any, b: Any) -> bool:
        return " ".join(str(a or "").split()) == " ".join(str(b or "").split())

    return (same(record.model_name, want["model"]) and same(record.dataset, want["dataset"])
            and same(_config(record), want["config"]) and same(record.dataset_split, want["split"])
            and metric_key(record.metric) == metric_key(want["metric"]))


def site(name: str) -> str:
    """The site a saved page comes from, as its file name says ("p6_hotpotqa_2024-06.html").

    >>> site("p6_hotpotqa_2024-06.html"), site("p1_squad_2016-08.html")
    ('hotpotqa', 'squad')
    """
    parts = name.split("_")
    return parts[1] if len(parts) > 2 else name


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass
class Score:
    """Counts for one file or a whole source."""

    expected: int = 0
    stored: int = 0
    labelled: int = 0
    exact: int = 0
    verbatim: int = 0
    phantom: int = 0
    misses: list[str] = field(default_factory=list)
    phantoms: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "stored", "labelled", "exact", "verbatim", "phantom"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.phantoms += other.phantoms

    def line(self, name: str) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:5.1f} %" if d else "    - "

        return (f"{name:<11} expected {self.expected:4d}  stored {self.stored:4d}  "
                f"labelled {self.labelled:4d} ({pct(self.labelled, self.expected)})  "
                f"exact {self.exact:4d} ({pct(self.exact, self.expected)}; verbatim "
                f"{self.verbatim}, after canonicalisation {self.exact - self.verbatim})  "
                f"phantom {self.phantom:3d} ({pct(self.phantom, self.stored)} of stored)")


def score(records: Iterable[Any], expected: list[dict[str, Any]], where: str = "") -> Score:
    """Match stored records against the expected results of one file (each used once)."""
    rows = list(records)
    out = Score(expected=len(expected), stored=len(rows))
    used: set[int] = set()
    for want in expected:
        key = (norm(want["model"]), norm(want["dataset"]), metric_key(want["metric"]))
        hit = None
        for i, rec in enumerate(rows):
            if i in used or not _close(rec.score, float(want["value"])):
                continue
            if (norm(rec.model_name), norm(rec.dataset), metric_key(rec.metric)) != key:
                continue
            exact = (norm(_config(rec)) == norm(want["config"])
                     and split_key(rec.dataset_split) == split_key(want["split"]))
            if hit is None or exact:
                hit = (i, exact)
            if exact:
                break
        if hit is None:
            out.misses.append(f"{where}: {want}")
            continue
        used.add(hit[0])
        out.labelled += 1
        out.exact += hit[1]
        out.verbatim += hit[1] and _verbatim(rows[hit[0]], want)
    for i, rec in enumerate(rows):
        if i not in used:
            out.phantom += 1
            out.phantoms.append(f"{where}: {rec.model_name!r} {rec.dataset!r} "
                                f"{_config(rec)!r} {rec.dataset_split!r} {rec.metric!r} "
                                f"{rec.score!r}")
    return out


# -- running the collectors on the fixtures ------------------------------------------------------
def run_cards(hub_url: str) -> dict[str, list[Any]]:
    """Each real card's records, collected through the Hub API of a local mock Hub."""
    from modelbench.collect import HuggingFaceScraper

    out: dict[str, list[Any]] = {}
    with HuggingFaceScraper(endpoint=hub_url, cache=False, rate_per_host=None,
                            respect_robots=False, backoff=0.01, retries=1, workers=1) as hub:
        for name, repo_id in card_ids().items():
            out[name] = hub.collect_model(repo_id).results
    return out


def run_pages() -> dict[str, list[Any]]:
    """Each saved leaderboard page's records (all its tables, dataset read from the page)."""
    from modelbench.collect.tables import LeaderboardScraper

    out: dict[str, list[Any]] = {}
    with LeaderboardScraper(cache=False) as scraper:
        for path in sorted((REAL / "pages").glob("*.html")):
            collect_page: Callable[..., Any] | None = getattr(scraper, "collect_page", None)
            if collect_page is not None:
                out[path.name] = collect_page(str(path)).results
            else:  # the collector before this work: one table, no dataset
                out[path.name] = scraper.scrape(str(path))[2].results
    return out


def run_pwc() -> dict[str, list[Any]]:
    """Each Papers-with-Code file's records, read as an archive dump."""
    from modelbench.collect.paperswithcode import dump_records

    return {path.name: list(dump_records(path)) for path in sorted((REAL / "pwc").glob("*.json"))}


def score_source(found: dict[str, list[Any]], expected: dict[str, Any]) -> tuple[Score, dict]:
    total, per_file = Score(), {}
    for name, want in expected.items():
        got = score(found.get(name, []), want["results"], name)
        per_file[name] = got
        total.add(got)
    return total, per_file
