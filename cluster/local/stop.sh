#!/usr/bin/env bash
# Stops the local cluster started by start.sh: SIGTERM to each node (a graceful leave; containers keep
# running while the node stops), wait up to 60 s each, SIGKILL what is left, then stop the nodes'
# private Docker engines (which stops their containers). PostgreSQL is shared with tests and stays up.
#
# Usage: stop.sh [--keep-engines] [NODE...]   (default: every node)
#   --keep-engines  leave the Docker engines (and their containers) running.
# Environment: as start.sh (the same bases and directories find the same nodes).
set -euo pipefail
source "$(dirname "$0")/common.sh"
keep_engines=no
[ "${1:-}" = "--keep-engines" ] && { keep_engines=yes; shift; }

for i in $(nodes_given "$@"); do
  if node_alive "$i"; then
    log "stopping node $i (pid $(node_pid "$i"))"
    kill -TERM "$(node_pid "$i")"
  fi
done
for i in $(nodes_given "$@"); do
  for _ in $(seq 1 120); do node_alive "$i" || break; sleep 0.5; done
  if node_alive "$i"; then
    log "node $i did not stop within 60 s; killing it"
    kill -KILL "$(node_pid "$i")" || true
  fi
  rm -f "$(node_dir "$i")/node.pid"
done
if [ "$keep_engines" = no ]; then
  for i in $(nodes_given "$@"); do
    SUTAZAI_DOCKER_DIR="$(engine_dir "$i")" "$REPO/cluster/dev/docker-engine.sh" stop
  done
fi
log "stopped"
