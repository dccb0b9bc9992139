#!/usr/bin/env bash
# Shows the local cluster: each node's process, listening ports, readiness (Akka Management /ready),
# its Docker engine and managed containers; PostgreSQL; the cluster members as node 1 sees them.
# Exit status 0 when every node process runs, 1 otherwise.
set -uo pipefail
source "$(dirname "$0")/common.sh"
listening() { if port_busy "$1"; then echo "$1:up"; else echo "$1:down"; fi; }
rc=0
for i in $(seq 1 "$NODES"); do
  if node_alive "$i"; then proc="running (pid $(node_pid "$i"))"; else proc="NOT running"; rc=1; fi
  ports="$(listening "$(remote_port "$i")") $(listening "$(management_port "$i")") $(listening "$(inference_port "$i")") $(listening "$(akka_management_port "$i")")"
  ready="$(curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(akka_management_port "$i")/ready" || true)"
  if engine_answers "$i"; then
    containers="$(DOCKER_HOST="$(engine_host "$i")" docker ps -a --filter label=sutazai.managed=true --format '{{.Names}}:{{.State}}' | tr '\n' ' ')"
    engine="engine up, managed containers: ${containers:-none}"
  else
    engine="engine DOWN ($(engine_host "$i"))"
  fi
  echo "node $i: $proc; ports remote/mgmt/inference/akka-mgmt: $ports; /ready: ${ready:-none}; $engine"
done
if pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}"; then echo "postgres: up on 127.0.0.1:${PGPORT:-5432}"; else echo "postgres: DOWN"; fi
members="$(curl -s -m 3 "http://127.0.0.1:$(akka_management_port 1)/cluster/members" || true)"
echo "members (node 1): ${members:-Akka Management not answering on $(akka_management_port 1)}"
exit $rc
