#!/usr/bin/env python3
"""Set up the benchmark database (the seed's script; a thin face over ``modelbench setup``).

    python scripts/setup_database.py [--db-type sqlite|clickhouse|timescaledb] [--db-path P]
        [--host H] [--port N] [--user U] [--password PW] [--database NAME]
"""

import sys

from modelbench.cli import main

if __name__ == "__main__":
    sys.argv = ["modelbench", "setup", *sys.argv[1:]]
    main()
