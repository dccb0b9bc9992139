#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium and its WebDriver (/usr/bin/chromium, /usr/bin/chromedriver),
# which the dashboard's browser tests drive through Selenium. Idempotent: does nothing when both exist.
# Needs root and a reachable apt mirror; prints nothing on stdout.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# Fonts, so screenshots show text rather than boxes.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "chromium: installing ${missing[*]} (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
/usr/bin/chromium --version >&2
/usr/bin/chromedriver --version >&2
