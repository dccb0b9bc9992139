#!/usr/bin/env bash
# Runs the whole test suite against real services: installs the prerequisites, uses or starts a Docker
# engine (private, no bridge networking), builds the busybox test image, uses or starts PostgreSQL,
# then `mvn -B verify`. Tests that need Docker or PostgreSQL fail (never skip) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
cluster/dev/prereqs.sh
cluster/dev/chromium.sh
cluster/dev/prometheus.sh
eval "$(cluster/dev/docker-engine.sh)"
cluster/dev/busybox-image.sh
eval "$(cluster/dev/postgres.sh)"
export DOCKER_HOST SUTAZAI_DB_URL
echo "test: DOCKER_HOST=$DOCKER_HOST SUTAZAI_DB_URL=$SUTAZAI_DB_URL" >&2
exec mvn -B verify "$@"
