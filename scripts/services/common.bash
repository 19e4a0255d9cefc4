# Shared by the service scripts in this folder (sourced, not run; run.sh starts only *.sh).
# Each script defines psql_admin (as the `postgres` superuser, any -d allowed) and REPO.

# The development role and database the tests and examples use (local only).
create_modelbench_role() {
    psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'modelbench'" | grep -q 1 ||
        psql_admin -d postgres -c "CREATE ROLE modelbench LOGIN CREATEDB PASSWORD 'modelbench'"
    psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'modelbench'" | grep -q 1 ||
        psql_admin -d postgres -c "CREATE DATABASE modelbench OWNER modelbench"
}

# remember_url VAR URL [forget]: keep `export VAR=URL` in .services/env.sh (sourced by
# `scripts/run.sh test`), once; with `forget`, drop it.
remember_url() {
    local var=$1 url=$2 env=$REPO/.services/env.sh
    mkdir -p "$REPO/.services"; touch "$env"
    grep -v "^export $var=" "$env" >"$env.tmp" || true
    [ "${3:-}" = forget ] || echo "export $var=$url" >>"$env.tmp"
    mv "$env.tmp" "$env"
}
