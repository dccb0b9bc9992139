#!/usr/bin/env bash
# Uses the PostgreSQL that already answers on 127.0.0.1:${PGPORT:-5432}, or installs and starts the
# Debian cluster, then makes sure role and database `sutazai` exist. The role's password is random, generated
# when the role is made and kept in $SUTAZAI_DB_PASSWORD_FILE (default ~/.config/sutazai/db.password, 0600).
# A role made by an earlier version of this script still has the password `sutazai`: it is kept (other clients
# of a shared server use it) and written to that file, with a warning; SUTAZAI_DB_ROTATE=1 replaces it with a
# random one.
# Prints on stdout `export SUTAZAI_DB_URL=... SUTAZAI_DB_USER=sutazai SUTAZAI_DB_PASSWORD_FILE=...
# SUTAZAI_DB_PASSWORD=...` for `eval`; everything else goes to stderr.
set -euo pipefail
port="${PGPORT:-5432}"
pwfile="${SUTAZAI_DB_PASSWORD_FILE:-$HOME/.config/sutazai/db.password}"
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
new_password() {
  (umask 077; mkdir -p "$(dirname "$pwfile")"; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32 >"$pwfile.tmp")
  mv "$pwfile.tmp" "$pwfile"
}
set_password() {  # the role's password := the file's (passed on stdin, never on a command line)
  printf "alter role sutazai password '%s'\n" "$(cat "$pwfile")" | su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $port" >&2
}
can_login() { PGPASSWORD="$1" psql -X -q -h 127.0.0.1 -p "$port" -U sutazai -d postgres -tAc 'select 1' >/dev/null 2>&1; }
if ! su postgres -c "psql -p $port -tAc \"select 1 from pg_roles where rolname='sutazai'\"" | grep -q 1; then
  [ -s "$pwfile" ] || new_password
  psql_su "-c \"create role sutazai login createdb\""
  set_password
  log "role sutazai made; its password is in $pwfile"
elif [ "${SUTAZAI_DB_ROTATE:-0}" = 1 ]; then
  new_password
  set_password
  log "role sutazai: new password in $pwfile (clients using the old one must be given it)"
elif [ ! -s "$pwfile" ]; then
  if can_login sutazai; then
    (umask 077; mkdir -p "$(dirname "$pwfile")"; printf 'sutazai' >"$pwfile")
    log "WARNING: role sutazai still has the old shipped password 'sutazai' (kept: other clients of this server use it);"
    log "  SUTAZAI_DB_ROTATE=1 $0 replaces it with a random one"
  else
    log "role sutazai exists with a password this script does not know: put it in $pwfile"
    exit 1
  fi
fi
if ! su postgres -c "psql -p $port -tAc \"select 1 from pg_database where datname='sutazai'\"" | grep -q 1; then
  psql_su "-c \"create database sutazai owner sutazai\""
fi
echo "export SUTAZAI_DB_URL=jdbc:postgresql://127.0.0.1:$port/sutazai"
echo "export SUTAZAI_DB_USER=sutazai"
echo "export SUTAZAI_DB_PASSWORD_FILE=$pwfile"
echo "export SUTAZAI_DB_PASSWORD=$(cat "$pwfile")"
