"""``python -m modelbench.cli`` runs the CLI (the same as the ``modelbench`` command)."""

from . import main

main()
