"""How well the collectors read real published results: scored against transcribed truth.

Runs the Hub collector on the real model cards of ``tests/collect/fixtures/real/cards`` (served
by a local mock Hub on 127.0.0.1), the leaderboard collector on the saved pages of ``pages/``
and the Papers-with-Code dump reader on the files of ``pwc/``, and prints per source:

* expected: results a careful human reads (``truth.json``);
* labelled: of those, stored with the right model, dataset, metric and value;
* exact: labelled and with the right dataset config and split, split into *verbatim* (labels
  as the truth writes them) and *after canonicalisation* (right once case, spacing and symbols
  are folded away);
* phantom: stored rows that are no expected result (share of all stored rows);

and, for pages, the same per site (the page files are named ``pN_<site>_<date>.html``).

Run: ``python benchmarks/bench_collect_accuracy.py [--misses] [--files PATTERN ...]`` (a few
seconds; ``--files`` scores only the fixture files whose names match a shell pattern, e.g. a new
held-out batch: ``--files 'p2[1-5]_*' 'c3[4-9]_*' 'c4?_*' 'c5?_*'``), or as the
``collect_accuracy`` area of ``python benchmarks/run.py --only collect_accuracy``.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.pop("HF_HUB_OFFLINE", None)

from tests.collect.real_truth import (  # noqa: E402
    REAL,
    Score,
    card_ids,
    run_cards,
    run_pages,
    run_pwc,
    score_source,
    site,
    truth,
)
from tests.collect.servers import MockHub  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Row  # noqa: E402


def _only(expected: dict, patterns: list[str] | None) -> dict:
    """The truth restricted to the files whose names match one of ``patterns`` (all if none)."""
    if not patterns:
        return expected
    return {source: {name: want for name, want in files.items()
                     if any(fnmatch.fnmatch(name, pattern) for pattern in patterns)}
            for source, files in expected.items()}


def measure(files: list[str] | None = None) -> dict[str, Score]:
    """Scores per source ("cards", "pages", "pwc"), "all", and per page site ("site:squad").

    ``files``: shell patterns; only the fixture files whose names match one are scored.
    """
    expected = _only(truth(), files)
    models = {name: (repo_id, "text-generation", 1, 0, 1, True)
              for name, repo_id in card_ids().items()}
    with MockHub(REAL / "cards", models=models, extra_models=0) as hub:
        found = {"cards": run_cards(hub.url)}
    found["pages"] = run_pages()
    found["pwc"] = run_pwc()
    scores, per_page = {}, {}
    for source in ("cards", "pages", "pwc"):
        scores[source], per_file = score_source(found[source], expected[source])
        if source == "pages":
            per_page = per_file
    overall = Score()
    for total in scores.values():
        overall.add(total)
    scores["all"] = overall
    for name, got in sorted(per_page.items()):
        scores.setdefault(f"site:{site(name)}", Score()).add(got)
    return scores


def rows(quick: bool = False) -> list[Row]:
    """For ``benchmarks/run.py``: the goal is >= 95 % labelled and <= 2 % phantom rows."""
    out = []
    for source, got in measure().items():
        if source.startswith("site:"):
            continue
        labelled = got.labelled / got.expected if got.expected else 0.0
        phantom = got.phantom / got.stored if got.stored else 0.0
        out.append(Row(f"collect accuracy: {source}", "truth.json (careful reader)", labelled,
                       ">= 0.95 labelled, <= 2 % phantom", labelled >= 0.95 and phantom <= 0.02,
                       f"exact {got.exact}/{got.expected}, phantom {got.phantom}/{got.stored}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list misses and phantom rows")
    parser.add_argument("--files", nargs="+", metavar="PATTERN",
                        help="score only the fixture files whose names match (shell patterns)")
    args = parser.parse_args()
    scores = measure(args.files)
    for source in ("cards", "pages", "pwc"):
        total = scores[source]
        print(total.line(source))
        if source == "pages":
            for key in sorted(k for k in scores if k.startswith("site:")):
                print("  " + scores[key].line(key[5:]))
        if args.misses:
            for line in total.misses:
                print("   miss   ", line)
            for line in total.phantoms:
                print("   phantom", line)
    print(scores["all"].line("all"))


if __name__ == "__main__":
    main()
