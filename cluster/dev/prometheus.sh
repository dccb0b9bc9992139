#!/usr/bin/env bash
# Installs Debian's Prometheus (/usr/bin/prometheus, /usr/bin/promtool), which PrometheusRealTest starts on
# a free loopback port to scrape a test daemon and evaluate conf/prometheus/alerts.yml. Idempotent: does
# nothing when both exist. The package's own service is not wanted (the test starts its own process); where
# an init system runs it, it is stopped. Needs root and a reachable apt mirror; prints nothing on stdout.
set -euo pipefail
if [ ! -x /usr/bin/prometheus ] || [ ! -x /usr/bin/promtool ]; then
  echo "prometheus: installing prometheus (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # policy-rc.d 101: the package's postinst must not start its service.
  had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  fi
  apt-get install -y -qq --no-install-recommends prometheus >&2 || { [ "$had_policy" = 0 ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ "$had_policy" = 0 ] && rm -f /usr/sbin/policy-rc.d
fi
/usr/bin/prometheus --version 2>&1 | head -1 >&2
