#!/usr/bin/env bash
# Prepares PostgreSQL for cluster mode: the role and database `sutazai` (through cluster/dev/postgres.sh,
# which also installs and starts PostgreSQL on 127.0.0.1 when none answers), the akka-persistence-jdbc
# journal tables (schema.sql, applied once) and the schema `baselines` for the Flyway-managed tables.
# Idempotent. Prints on stdout the environment a node needs, for `eval "$(cluster/postgres/setup.sh)"`:
#   export SUTAZAI_DB=postgres SUTAZAI_DB_URL=... SUTAZAI_DB_USER=... SUTAZAI_DB_PASSWORD=...
#   export SUTAZAI_BASELINE_DB_URL=... SUTAZAI_BASELINE_DB_USER=... SUTAZAI_BASELINE_DB_PASSWORD=...
# Everything else goes to stderr.
#
# Environment: PGPORT (default 5432); SUTAZAI_PG_DATABASE (default sutazai): another database, created
# (owned by the role sutazai) when missing, e.g. a test's own. The role is `sutazai`; its password is random,
# kept in $SUTAZAI_DB_PASSWORD_FILE by cluster/dev/postgres.sh (see there). Use your own PostgreSQL and
# schema.sql directly for anything else.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${PGPORT:-5432}"
log() { echo "postgres-setup: $*" >&2; }

db="${SUTAZAI_PG_DATABASE:-sutazai}"
eval "$("$here/../dev/postgres.sh")"   # sets SUTAZAI_DB_URL and the password; role/db sutazai exist afterwards

as_owner() { PGPASSWORD="$SUTAZAI_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U sutazai -d "$db" "$@"; }
if [ "$db" != sutazai ]; then
  case "$db" in *[!a-z0-9_]*|"") log "SUTAZAI_PG_DATABASE must be lower-case letters, digits and _ (was '$db')"; exit 1;; esac
  if [ "$(PGPASSWORD="$SUTAZAI_DB_PASSWORD" psql -X -h 127.0.0.1 -p "$port" -U sutazai -d sutazai -tAc "select 1 from pg_database where datname='$db'")" != 1 ]; then
    log "creating database $db"
    PGPASSWORD="$SUTAZAI_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U sutazai -d sutazai -c "create database $db" >&2
  fi
  SUTAZAI_DB_URL="jdbc:postgresql://127.0.0.1:$port/$db"
fi

if [ "$(as_owner -tAc "select to_regclass('public.event_journal') is not null")" = "t" ]; then
  log "journal tables already present"
else
  log "applying $here/schema.sql"
  as_owner -1 -f "$here/schema.sql" >&2
fi
# Flyway refuses to migrate a non-empty schema that has no history table: its tables (baselines, ...)
# get their own schema, which the application selects with sutazai.metrics.baseline.schema.
as_owner -c "create schema if not exists baselines authorization sutazai" >&2
log "tables: $(as_owner -tAc "select string_agg(table_schema||'.'||table_name, ' ' order by 1) from information_schema.tables where table_schema in ('public','baselines')")"

cat <<OUT
export SUTAZAI_DB=postgres
export SUTAZAI_DB_URL=$SUTAZAI_DB_URL
export SUTAZAI_DB_USER=sutazai
export SUTAZAI_DB_PASSWORD_FILE=$SUTAZAI_DB_PASSWORD_FILE
export SUTAZAI_DB_PASSWORD=$SUTAZAI_DB_PASSWORD
export SUTAZAI_BASELINE_DB_URL=$SUTAZAI_DB_URL
export SUTAZAI_BASELINE_DB_USER=sutazai
export SUTAZAI_BASELINE_DB_PASSWORD=$SUTAZAI_DB_PASSWORD
OUT
