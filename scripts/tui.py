#!/usr/bin/env python
"""The seed's entry point: ``python scripts/tui.py [--db-type ... --db-path ...]``.

A thin face over ``modelbench tui``; takes the same options (``--help`` lists them).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> None:
    """Run ``modelbench tui`` with these arguments (default: this script's)."""
    from modelbench.cli import main as cli_main

    args = sys.argv[1:] if argv is None else argv
    sys.argv = [sys.argv[0], "tui", *args]
    cli_main()


if __name__ == "__main__":
    main()
