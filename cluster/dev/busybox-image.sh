#!/usr/bin/env bash
# Builds the local image used by tests and the demo: busybox (sh, httpd, nc, sleep, wget) as the root
# file system, imported with `docker import` (no registry is reachable). Idempotent.
#
# Usage: DOCKER_HOST=... cluster/dev/busybox-image.sh [image-name]   (default sutazai/busybox:local)
set -euo pipefail
image="${1:-sutazai/busybox:local}"
log() { echo "busybox-image: $*" >&2; }

if docker image inspect "$image" >/dev/null 2>&1; then
  log "$image already present"
  exit 0
fi
bb="$(command -v busybox || true)"
if [ -z "$bb" ] || ! "$bb" --list >/dev/null 2>&1 || ldd "$bb" >/dev/null 2>&1; then
  log "installing busybox-static (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq busybox-static >&2
  bb=/bin/busybox
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/www" "$root/etc"
cp "$bb" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
echo ok > "$root/www/health"
tar -C "$root" -cf - . | docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$image" >&2
log "built $image"
