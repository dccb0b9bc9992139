#!/usr/bin/env bash
# The main job on one machine: the supervisor with the demo fleet (busybox agents on a real Docker engine),
# the live dashboard and management API, and three SIMULATED Ollama workers behind the inference router.
# The workers are `sutazai ollama-sim`: an Ollama-protocol simulator, not real inference.
#
#   dashboard + API   http://127.0.0.1:8080/      (token: printed below; SUTAZAI_OPERATOR_TOKEN to choose it)
#   inference front   http://127.0.0.1:11400/     (Ollama-compatible; point OLLAMA_HOST here)
#   agent front       http://127.0.0.1:11500/agents/<agent>/   (started on demand, held while it starts)
#   Akka Management   http://127.0.0.1:8558/ready
#
# Ctrl-C stops the supervisor gracefully (agent containers keep running; the next start adopts them) and the
# simulators. Data (journal, baselines, logs) goes to ./data.
set -euo pipefail
cd "$(dirname "$0")/../.."
cluster/dev/prereqs.sh
eval "$(cluster/dev/docker-engine.sh)"
export DOCKER_HOST
cluster/dev/busybox-image.sh
if [ ! -f target/sutazai.jar ] || [ -n "$(find src conf pom.xml -newer target/sutazai.jar -print -quit)" ]; then
  echo "demo: building target/sutazai.jar" >&2
  mvn -B -q package -DskipTests
fi
mkdir -p data/demo
export SUTAZAI_OPERATOR_TOKEN="${SUTAZAI_OPERATOR_TOKEN:-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"

pids=()
cleanup() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
workers=()
for i in 1 2 3; do
  port=$((11500 + i))
  java -Xmx256m -jar target/sutazai.jar ollama-sim --port "$port" \
    --models llama3.2:1b,qwen2.5:0.5b,nomic-embed-text --max-loaded-models 2 --load-time 2s \
    > "data/demo/ollama-sim-$i.log" 2>&1 &
  pids+=($!)
  workers+=(--worker "http://127.0.0.1:$port")
done

cat <<MSG
demo: Docker engine ${DOCKER_HOST}
demo: 3 Ollama SIMULATORS (not real inference) on 127.0.0.1:11501-11503, logs in data/demo/
demo: dashboard http://127.0.0.1:8080/  operator token: ${SUTAZAI_OPERATOR_TOKEN}
demo: try  curl -s "\$(docker exec sutazai-demo-worker-1 printenv OLLAMA_HOST)/api/generate" \\
             -d '{"model":"llama3.2:1b","prompt":"hello","stream":false}'
demo: try  curl -si http://127.0.0.1:${SUTAZAI_GATEWAY_PORT:-11500}/agents/reporter/health   (on-demand: started, held)
MSG
java -Xmx768m -jar target/sutazai.jar run --fleet conf/fleets/demo.conf "${workers[@]}"
