#!/usr/bin/env bash
# PostgreSQL 15 for development and tests: a throwaway cluster under .services/pg15 (git-ignored),
# served on 127.0.0.1:$MODELBENCH_PG_PORT (default 55432), run as the `postgres` user when root.
#
#   scripts/services/postgres.sh start|stop|status|url
#
# `start` is idempotent (a second start only prints the URL) and prints the variable to export:
#   export MODELBENCH_PG_URL=postgresql://modelbench:modelbench@127.0.0.1:55432/modelbench
# The role `modelbench` (password `modelbench`, local development only) may create databases, so
# the test suite makes its own throwaway database and never touches this one's data.
set -euo pipefail

cmd=${1:-status}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${MODELBENCH_PG_PORT:-55432}
LINK=$REPO/.services/pg15
DATA=$LINK
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$REPO/." 2>/dev/null; then
    # The postgres user cannot reach the clone (e.g. under /root): keep the cluster in
    # /var/tmp; `start` leaves a link where people look for it.
    DATA=/var/tmp/modelbench-pg15-$(echo "$REPO" | md5sum | cut -c1-8)
elif [ -L "$LINK" ]; then
    DATA=$(readlink -m "$LINK")   # a link left by an earlier start: follow it, even if dangling
fi
BIN=${MODELBENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
URL="postgresql://modelbench:modelbench@127.0.0.1:$PORT/modelbench"

as_pg() {
    # initdb refuses to run as root: use the postgres system user then.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

psql_admin() { as_pg "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -qAt "$@"; }
# shellcheck source=common.bash
. "$(dirname "$0")/common.bash"

init_cluster() {
    [ -x "$BIN/initdb" ] || { echo "PostgreSQL 15 not found in $BIN: apt-get install postgresql-15" >&2; exit 1; }
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$DATA" && chmod 700 "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
dynamic_shared_memory_type = mmap
max_connections = 60
EOF
}

case "$cmd" in
start)
    # Only start writes: status and url leave the checkout as they found it. A link (even a
    # dangling one, e.g. after /var/tmp was cleared) is never made twice.
    if [ "$DATA" != "$LINK" ] && [ ! -L "$LINK" ]; then
        mkdir -p "$REPO/.services" && ln -s "$DATA" "$LINK"
    fi
    [ -f "$DATA/PG_VERSION" ] || init_cluster
    if ! running; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
        create_modelbench_role
    fi
    echo "PostgreSQL 15 running on 127.0.0.1:$PORT (data $DATA)"
    echo "export MODELBENCH_PG_URL=$URL"
    remember_url MODELBENCH_PG_URL "$URL"
    ;;
stop)
    if running; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    echo "PostgreSQL 15 stopped"
    remember_url MODELBENCH_PG_URL "$URL" forget
    ;;
status)
    if running; then echo "PostgreSQL 15 running on 127.0.0.1:$PORT"; echo "export MODELBENCH_PG_URL=$URL";
    else echo "PostgreSQL 15 not running (start: scripts/services/postgres.sh start)"; exit 3; fi
    ;;
url) echo "$URL" ;;
*) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
