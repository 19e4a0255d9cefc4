#!/usr/bin/env bash
# The seed's entry point for common operations; each command is a thin face over `modelbench`.
#   ./scripts/run.sh install           Python dependencies (all extras + test tools), editable
#   ./scripts/run.sh install-system    Debian packages the tests need (.ci/apt-packages.txt; root)
#   ./scripts/run.sh setup [OPTIONS]   create the database schema (SQLite by default)
#   ./scripts/run.sh example [OPTIONS] run the example benchmark (installs the package if needed)
#   ./scripts/run.sh test [PYTEST ARGS] install what the tests need, start services, run pytest
#   ./scripts/run.sh tui [OPTIONS]     open the terminal UI
#   ./scripts/run.sh start-db|stop-db  start/stop the local PostgreSQL and TimescaleDB servers
#   ./scripts/run.sh bench [--quick]   run the performance suite (benchmarks/run.py)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

ensure_package() {  # the light install: enough for SQLite, measuring and the CLI
  "$PY" -c "import modelbench, typer, rich, numpy, pyarrow" 2>/dev/null \
    || "$PY" -m pip install -q -e .
}

install_system() {
  if [ "$(id -u)" != 0 ]; then echo "install-system needs root (apt-get)" >&2; return 1; fi
  local pkgs
  pkgs=$(grep -v '^\s*#' .ci/apt-packages.txt | tr '\n' ' ')
  # shellcheck disable=SC2086
  if ! dpkg -s $pkgs >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs
  fi
}

test_workers() {  # one per core, at most 4: the slowest file bounds the run beyond that
  local cores
  cores=$(nproc 2>/dev/null || echo 2)
  echo $(( cores < 4 ? cores : 4 ))
}

start_db() {  # each service records its URL in .services/env.sh, which `test` sources
  local svc
  for svc in scripts/services/*.sh; do
    [ -x "$svc" ] || continue
    "$svc" start ||
      echo "warning: $svc did not start; tests that need it are skipped (they fail under CI=true)" >&2
  done
}

stop_db() {
  for svc in scripts/services/*.sh; do
    [ -x "$svc" ] && "$svc" stop || true
  done
}

cmd=${1:-help}; shift || true
case "$cmd" in
  install) "$PY" -m pip install -q --no-binary tesserocr -e '.[dev]' ;;
  install-system) install_system ;;
  setup) ensure_package; "$PY" scripts/setup_database.py "$@" ;;
  example) ensure_package; "$PY" scripts/setup_database.py "$@" && "$PY" scripts/example_benchmark.py "$@" ;;
  test)
    if [ "$(id -u)" = 0 ]; then install_system; fi
    "$PY" -m pip install -q --no-binary tesserocr -e '.[dev]'  # tesserocr built against Debian's Tesseract
    start_db
    # shellcheck disable=SC1091
    [ -f .services/env.sh ] && . .services/env.sh
    # Test files run on parallel workers (pytest-xdist, one file per worker so a file's
    # session set-up -- a Ray head, a browser, OCR of the real images -- happens once).
    # PYTEST_WORKERS=0 runs them in this process.
    "$PY" -m pytest -n "${PYTEST_WORKERS:-$(test_workers)}" --dist loadfile "$@" ;;
  tui) ensure_package; "$PY" scripts/tui.py "$@" ;;
  start-db) start_db ;;
  stop-db) stop_db ;;
  bench) ensure_package; "$PY" benchmarks/run.py "$@" ;;
  help|-h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $cmd (try: ./scripts/run.sh help)" >&2; exit 2 ;;
esac
