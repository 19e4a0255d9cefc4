"""Run every benchmark module and print one table: benchmark, peer, ratio, goal, met/not met.

Usage: ``python benchmarks/run.py [--quick] [--only AREA ...]``
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import Row  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    parser.add_argument("--only", nargs="*", help="areas to run, e.g. metrics store")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for path in sorted(HERE.glob("bench_*.py")):
        area = path.stem.removeprefix("bench_")
        if args.only and area not in args.only:
            continue
        print(f"running {area} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(importlib.import_module(path.stem).rows(quick=args.quick))
        except Exception as exc:  # one broken area must not hide the others
            traceback.print_exc()
            rows.append(Row(f"{area} (failed)", "-", float("nan"), "-", False, repr(exc)))
    from rich.console import Console
    from rich.table import Table

    table = Table("benchmark", "peer", "ratio", "goal", "result", "detail")
    for row in rows:
        table.add_row(row.benchmark, row.peer, f"{row.ratio:.2f}", row.goal,
                      "met" if row.met else "not met", row.detail)
    Console(width=200).print(table)
    return 0 if all(r.met for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
