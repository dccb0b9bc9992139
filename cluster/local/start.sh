#!/usr/bin/env bash
# Starts a local cluster of N (default 3) supervisor nodes on 127.0.0.1, each with its own private Docker
# engine, all sharing one PostgreSQL journal. Idempotent: running nodes and engines are left alone.
#
#   node  remoting  management API  inference  Akka Management  Docker engine
#   1     2551      8081            11401      8558             /var/lib/sutazai-docker-node1/docker.sock
#   2     2552      8082            11402      8559             /var/lib/sutazai-docker-node2/docker.sock
#   3     2553      8083            11403      8560             /var/lib/sutazai-docker-node3/docker.sock
#
# Seed nodes are nodes 1 and 2 (SUTAZAI_SEED_NODES; nodes form one cluster once `run` calls
# ai.sutazai.cluster.ClusterNode.join). Logs, pid files and data under $SUTAZAI_LOCAL_RUN (default
# target/cluster-local); remoting certificates (one CA, one per node: cluster/tls/make-certs.sh) in its tls/.
# Stop everything with cluster/local/stop.sh; look with cluster/local/status.sh.
#
# Usage: start.sh [NODE...]   (default: every node, 1..SUTAZAI_LOCAL_NODES; `start.sh 3` starts node 3 alone,
# e.g. again after it was killed; nodes are started in the order given).
#
# Environment: SUTAZAI_LOCAL_NODES (3), SUTAZAI_LOCAL_RUN, SUTAZAI_LOCAL_FLEET (cluster/local/fleet.conf),
# SUTAZAI_LOCAL_HEAP (256m: max heap per node), SUTAZAI_LOCAL_JAVA_OPTS (extra JVM options), PGPORT,
# SUTAZAI_LOCAL_DB (database, sutazai), SUTAZAI_LOCAL_JAR (target/sutazai.jar), SUTAZAI_LOCAL_ENGINE_BASE
# (/var/lib/sutazai-docker-node: engine i in <base><i>), SUTAZAI_LOCAL_REMOTE_BASE (2550),
# SUTAZAI_LOCAL_MANAGEMENT_BASE (8080), SUTAZAI_LOCAL_INFERENCE_BASE (11400),
# SUTAZAI_LOCAL_AKKA_MANAGEMENT_BASE (8557): node i uses base + i.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO"
FLEET="${SUTAZAI_LOCAL_FLEET:-cluster/local/fleet.conf}"
HEAP="${SUTAZAI_LOCAL_HEAP:-256m}"

# 1. The jar.
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  mvn -B -q -o package -DskipTests >&2
fi

# 2. One private Docker engine per node (no bridge, no iptables; see cluster/dev/docker-engine.sh).
for i in $(nodes_given "$@"); do
  want="$(engine_host "$i")"
  # DOCKER_HOST=our socket: docker-engine.sh reuses it when it answers, else starts the engine there.
  got="$(DOCKER_HOST="$want" SUTAZAI_DOCKER_DIR="$(engine_dir "$i")" cluster/dev/docker-engine.sh | sed -n 's/^export DOCKER_HOST=//p')"
  if [ "$got" != "$want" ]; then
    log "node $i: cluster/dev/docker-engine.sh gave $got instead of a private engine at $want"
    log "(it prefers unix:///var/run/docker.sock when that answers; stop that engine or start dockerd by hand)"
    exit 1
  fi
  DOCKER_HOST="$want" cluster/dev/busybox-image.sh >/dev/null
done

# 3. PostgreSQL: role, database, journal tables, Flyway schema; exports SUTAZAI_DB* for the nodes.
eval "$(SUTAZAI_PG_DATABASE="$DATABASE" cluster/postgres/setup.sh)"
export SUTAZAI_DB SUTAZAI_DB_URL SUTAZAI_DB_USER SUTAZAI_DB_PASSWORD
export SUTAZAI_BASELINE_DB_URL SUTAZAI_BASELINE_DB_USER SUTAZAI_BASELINE_DB_PASSWORD

# 4. Remoting TLS: one CA and a certificate per node under $RUN/tls (kept across runs; a node added later
# gets its certificate from the same CA). Nodes accept only peers whose certificate that CA signed.
names=""
for i in $(seq 1 "$NODES"); do names="$names node$i"; done
# shellcheck disable=SC2086
cluster/tls/make-certs.sh "$(tls_dir)" $names

# 5. The nodes.
for i in $(nodes_given "$@"); do
  dir="$(node_dir "$i")"
  mkdir -p "$dir/data"
  if node_alive "$i"; then
    log "node $i already runs (pid $(node_pid "$i"))"
    continue
  fi
  for port in $(remote_port "$i") $(management_port "$i") $(inference_port "$i") $(akka_management_port "$i"); do
    if port_busy "$port"; then
      log "node $i: port $port on 127.0.0.1 is already in use (by: $(ss -Hltnp "sport = :$port" | sed 's/.*users://' | head -1))"
      exit 1
    fi
  done
  log "starting node $i (log: $dir/node.log)"
  # Ports and seeds through the environment variables conf/*.conf reads; the rest as -D overrides.
  # shellcheck disable=SC2086
  DOCKER_HOST="$(engine_host "$i")" \
  SUTAZAI_DATA_DIR="$dir/data" \
  SUTAZAI_TLS_KEY_STORE="$(tls_dir)/node$i.p12" \
  SUTAZAI_TLS_TRUST_STORE="$(tls_dir)/trust.p12" \
  SUTAZAI_REMOTE_HOST=127.0.0.1 \
  SUTAZAI_REMOTE_PORT="$(remote_port "$i")" \
  SUTAZAI_SEED_NODES="$(seed_nodes)" \
  SUTAZAI_AKKA_MANAGEMENT_PORT="$(akka_management_port "$i")" \
  SUTAZAI_MANAGEMENT_PORT="$(management_port "$i")" \
  SUTAZAI_INFERENCE_PORT="$(inference_port "$i")" \
  setsid java -Xmx"$HEAP" -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dsutazai.management.port="$(management_port "$i")" \
    -Dsutazai.inference.port="$(inference_port "$i")" \
    -Dsutazai.persistence.create-schema=off \
    -Dsutazai.metrics.baseline.schema=baselines \
    ${SUTAZAI_LOCAL_JAVA_OPTS:-} \
    -jar "$JAR" run --fleet "$FLEET" >"$dir/node.log" 2>&1 </dev/null &
  echo $! >"$dir/node.pid"
done

# 6. Wait until each node supervises (its banner is printed) or died.
for i in $(nodes_given "$@"); do
  dir="$(node_dir "$i")"
  for _ in $(seq 1 240); do
    grep -q "sutazai: supervising" "$dir/node.log" 2>/dev/null && break
    node_alive "$i" || break
    sleep 0.5
  done
  if ! node_alive "$i"; then
    log "node $i exited; last lines of $dir/node.log:"
    tail -n 20 "$dir/node.log" >&2
    exit 1
  fi
  grep -q "sutazai: supervising" "$dir/node.log" || log "node $i runs but has not reported yet (see $dir/node.log)"
done
log "started node(s) $(nodes_given "$@" | tr '\n' ' ')(of $NODES); cluster/local/status.sh shows them, cluster/local/stop.sh stops them"
