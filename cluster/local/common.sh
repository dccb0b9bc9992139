# Shared by start.sh, stop.sh and status.sh (sourced, not run). Layout of the local cluster:
#   node i (1..N): remoting 2550+i, management API 8080+i, inference 11400+i, Akka Management 8557+i,
#   private Docker engine in /var/lib/sutazai-docker-node<i> (socket, data root, exec root, pid file),
#   run dir $RUN/node<i> (node.log, node.pid, data/). One PostgreSQL on 127.0.0.1:${PGPORT:-5432}.
# The bases (the port of node i is base + i), directories, jar and database can be set through the
# environment (below), so that several local clusters (a test's and yours) do not collide.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODES="${SUTAZAI_LOCAL_NODES:-3}"                       # number of nodes (1-9)
RUN="${SUTAZAI_LOCAL_RUN:-$REPO/target/cluster-local}"  # logs, pid files, data dirs
ENGINE_BASE="${SUTAZAI_LOCAL_ENGINE_BASE:-/var/lib/sutazai-docker-node}"
JAR="${SUTAZAI_LOCAL_JAR:-$REPO/target/sutazai.jar}"
DATABASE="${SUTAZAI_LOCAL_DB:-sutazai}"                 # the journal's PostgreSQL database
REMOTE_BASE="${SUTAZAI_LOCAL_REMOTE_BASE:-2550}"
MANAGEMENT_BASE="${SUTAZAI_LOCAL_MANAGEMENT_BASE:-8080}"
INFERENCE_BASE="${SUTAZAI_LOCAL_INFERENCE_BASE:-11400}"
AKKA_MANAGEMENT_BASE="${SUTAZAI_LOCAL_AKKA_MANAGEMENT_BASE:-8557}"

remote_port() { echo $((REMOTE_BASE + $1)); }
management_port() { echo $((MANAGEMENT_BASE + $1)); }
inference_port() { echo $((INFERENCE_BASE + $1)); }
akka_management_port() { echo $((AKKA_MANAGEMENT_BASE + $1)); }
engine_dir() { echo "$ENGINE_BASE$1"; }
engine_host() { echo "unix://$(engine_dir "$1")/docker.sock"; }
node_dir() { echo "$RUN/node$1"; }
tls_dir() { echo "$RUN/tls"; }  # remoting CA, trust store and node key stores (cluster/tls/make-certs.sh)
seed_nodes() { echo "127.0.0.1:$(remote_port 1),127.0.0.1:$(remote_port 2)"; }

log() { echo "cluster-local: $*" >&2; }
node_pid() { [ -f "$(node_dir "$1")/node.pid" ] && cat "$(node_dir "$1")/node.pid"; }
# The node numbers named on the command line, or all of them.
nodes_given() { if [ "$#" -gt 0 ]; then echo "$@"; else seq 1 "$NODES"; fi; }
node_alive() { local p; p="$(node_pid "$1")" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
engine_answers() { DOCKER_HOST="$(engine_host "$1")" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
