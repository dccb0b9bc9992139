#!/usr/bin/env bash
# Uses the PostgreSQL that already answers on 127.0.0.1:${PGPORT:-5432}, or installs and starts the
# Debian cluster, then makes sure role and database `sutazai` (password `sutazai`) exist.
# Prints `export SUTAZAI_DB_URL=...` on stdout; everything else goes to stderr.
set -euo pipefail
port="${PGPORT:-5432}"
log() { echo "postgres: $*" >&2; }
answers() { pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
if ! answers; then
  ver="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
    pg_createcluster "$ver" main -p "$port" >&2
  fi
  log "starting cluster $ver/main on port $port"
  pg_ctlcluster "$ver" main start >&2 || true
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || { log "PostgreSQL did not answer on 127.0.0.1:$port"; exit 1; }
fi
psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $port $*" >&2; }
if ! su postgres -c "psql -p $port -tAc \"select 1 from pg_roles where rolname='sutazai'\"" | grep -q 1; then
  psql_su "-c \"create role sutazai login createdb password 'sutazai'\""
fi
if ! su postgres -c "psql -p $port -tAc \"select 1 from pg_database where datname='sutazai'\"" | grep -q 1; then
  psql_su "-c \"create database sutazai owner sutazai\""
fi
echo "export SUTAZAI_DB_URL=jdbc:postgresql://127.0.0.1:$port/sutazai"
