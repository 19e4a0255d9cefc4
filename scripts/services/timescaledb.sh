#!/usr/bin/env bash
# TimescaleDB for development and tests. Debian 12 has no package; Debian 13 (trixie) has
# postgresql-17-timescaledb (Apache edition: hypertables and time_bucket). So: a minimal trixie
# root under .services/trixie (git-ignored, from Debian's own mirror via debootstrap), and
# PostgreSQL 17 run from it with shared_preload_libraries=timescaledb on
# 127.0.0.1:$MODELBENCH_TIMESCALE_PORT (default 55433). Needs root (debootstrap, chroot).
#
#   scripts/services/timescaledb.sh start|stop|status|url
#
# First start ~1 minute (download + install); later starts are under a second. Prints:
#   export MODELBENCH_TIMESCALE_URL=postgresql://modelbench:modelbench@127.0.0.1:55433/modelbench
# The extension is created in template1, so every database the tests create has it.
set -euo pipefail

cmd=${1:-status}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${MODELBENCH_TIMESCALE_PORT:-55433}
ROOT=$REPO/.services/trixie
MIRROR=${MODELBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DATA=/var/lib/modelbench/pg17          # inside $ROOT
BIN=/usr/lib/postgresql/17/bin         # inside $ROOT
URL="postgresql://modelbench:modelbench@127.0.0.1:$PORT/modelbench"

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
as_pg() { in_root runuser -u postgres -- "$@"; }
running() { [ -x "$ROOT$BIN/pg_ctl" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
psql_admin() { as_pg "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -qAt "$@"; }
# shellcheck source=common.bash
. "$(dirname "$0")/common.bash"

need_root() {
    [ "$(id -u)" = 0 ] || { echo "timescaledb.sh needs root (debootstrap and chroot)" >&2; exit 1; }
}

build_root() {
    need_root
    command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 1; }
    echo "building $ROOT (Debian trixie minbase + postgresql-17-timescaledb; ~1 minute) ..." >&2
    if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
        rm -rf "$ROOT"
        mkdir -p "$(dirname "$ROOT")"
        debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$REPO/.services/debootstrap.log" 2>&1 ||
            { tail -20 "$REPO/.services/debootstrap.log" >&2; exit 1; }
    fi
    # No services start inside the root, and no default cluster is created on install.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    mkdir -p "$ROOT/etc/postgresql-common/createcluster.d"
    echo "create_main_cluster = false" >"$ROOT/etc/postgresql-common/createcluster.d/modelbench.conf"
    in_root apt-get -qq update >/dev/null
    DEBIAN_FRONTEND=noninteractive in_root env DEBIAN_FRONTEND=noninteractive \
        apt-get -qq install -y --no-install-recommends postgresql-17-timescaledb \
        >"$REPO/.services/apt-install.log" 2>&1 || { tail -20 "$REPO/.services/apt-install.log" >&2; exit 1; }
    in_root apt-get -qq clean
    touch "$ROOT/.modelbench-ready"
}

init_cluster() {
    in_root mkdir -p "$DATA"
    in_root chown -R postgres: /var/lib/modelbench
    in_root chmod 700 "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    cat >>"$ROOT$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
shared_preload_libraries = 'timescaledb'
dynamic_shared_memory_type = mmap
timescaledb.telemetry_level = off
max_connections = 60
EOF
}

create_role() {
    psql_admin -d template1 -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS timescaledb" >/dev/null
    create_modelbench_role
}

case "$cmd" in
start)
    [ -f "$ROOT/.modelbench-ready" ] || build_root
    need_root
    [ -f "$ROOT$DATA/PG_VERSION" ] || init_cluster
    if ! running; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null ||
            { tail -20 "$ROOT$DATA/server.log" >&2; exit 1; }
        create_role
    fi
    echo "TimescaleDB (PostgreSQL 17) running on 127.0.0.1:$PORT (root $ROOT)"
    echo "export MODELBENCH_TIMESCALE_URL=$URL"
    remember_url MODELBENCH_TIMESCALE_URL "$URL"
    ;;
stop)
    if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    echo "TimescaleDB stopped"
    remember_url MODELBENCH_TIMESCALE_URL "$URL" forget
    ;;
status)
    if running; then echo "TimescaleDB running on 127.0.0.1:$PORT"; echo "export MODELBENCH_TIMESCALE_URL=$URL";
    else echo "TimescaleDB not running (start: scripts/services/timescaledb.sh start)"; exit 3; fi
    ;;
url) echo "$URL" ;;
*) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
