#!/usr/bin/env bash
# Uses the Docker engine that already answers, or idempotently starts a private one, then prints
#   export DOCKER_HOST=unix:///...
# on stdout (everything else goes to stderr), so callers can `eval "$(cluster/dev/docker-engine.sh)"`.
#
# The private engine runs with no bridge, no iptables and no IP forwarding: containers use
# `--network host` or none, and no traffic goes to private-range addresses.
#
# Environment: SUTAZAI_DOCKER_DIR (default /var/lib/sutazai-docker) holds socket, data and pid file.
# `docker-engine.sh stop` stops the private engine started here.
set -euo pipefail

dir="${SUTAZAI_DOCKER_DIR:-/var/lib/sutazai-docker}"
sock="$dir/docker.sock"
log() { echo "docker-engine: $*" >&2; }

answers() { DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [ "${1:-}" = "stop" ]; then
  if [ -f "$dir/docker.pid" ] && kill -0 "$(cat "$dir/docker.pid")" 2>/dev/null; then
    kill "$(cat "$dir/docker.pid")"
    for _ in $(seq 1 60); do kill -0 "$(cat "$dir/docker.pid")" 2>/dev/null || break; sleep 0.5; done
    log "stopped the private engine at $sock"
  fi
  exit 0
fi

need() { command -v "$1" >/dev/null 2>&1; }
if ! need docker || ! need dockerd; then
  log "installing docker.io (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq docker.io >&2
fi

# 1. An engine that already answers: DOCKER_HOST, then the default socket, then ours.
for candidate in "${DOCKER_HOST:-}" "unix:///var/run/docker.sock" "unix://$sock"; do
  [ -n "$candidate" ] || continue
  if answers "$candidate"; then
    log "using the engine at $candidate"
    echo "export DOCKER_HOST=$candidate"
    exit 0
  fi
done

# 2. Start a private one.
mkdir -p "$dir/data" "$dir/exec"
if [ -f "$dir/docker.pid" ] && kill -0 "$(cat "$dir/docker.pid")" 2>/dev/null; then
  log "a private engine is starting (pid $(cat "$dir/docker.pid")); waiting"
else
  rm -f "$dir/docker.pid" "$sock"
  log "starting a private engine at $sock (log: $dir/dockerd.log)"
  setsid dockerd --host "unix://$sock" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/docker.pid" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    --ip6tables=false >"$dir/dockerd.log" 2>&1 < /dev/null &
fi
for _ in $(seq 1 120); do
  if answers "unix://$sock"; then
    echo "export DOCKER_HOST=unix://$sock"
    exit 0
  fi
  sleep 0.5
done
log "the engine did not answer within 60 s; last lines of $dir/dockerd.log:"
tail -n 20 "$dir/dockerd.log" >&2 || true
exit 1
