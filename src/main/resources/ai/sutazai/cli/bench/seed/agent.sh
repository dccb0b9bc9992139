# The seed bench's agent (busybox sh; see docs/benchmarks.md, "bench seed"). It does not know which run it
# is in. Environment: PORT, HOLD_KB (resident memory held while up), GROW_KB (more held during a task),
# WORK_KB (bytes hashed per task: its CPU work), START_S (start-up time), MODEL, OLLAMA_HOST.
trap 'exit 0' TERM INT
sleep "$START_S"
mkdir -p /tmp/www/cgi-bin
rmdir /tmp/work.lock 2>/dev/null # left by a task killed with the agent (a restarted container keeps its files)
echo ok > /tmp/www/health
blocks=$(( (WORK_KB + GROW_KB - 1) / GROW_KB ))
cat > /tmp/www/cgi-bin/task <<EOF
#!/bin/sh
# A task: hash WORK_KB bytes through a GROW_KB buffer (CPU and memory), one task at a time (a single worker:
# its memory grows by GROW_KB, not by that times the tasks waiting), then one inference call.
until mkdir /tmp/work.lock 2>/dev/null; do usleep 50000; done
dd if=/dev/zero bs=${GROW_KB}k count=${blocks} 2>/dev/null | md5sum > /dev/null
rmdir /tmp/work.lock
if r=\$(timeout 25 wget -q -O - --header 'Content-Type: application/json' \
    --post-data '{"model":"${MODEL}","prompt":"task","stream":false}' "${OLLAMA_HOST}/api/generate" 2>/dev/null); then
  printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\ndone\n'
else
  printf 'Status: 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\ninference failed\n'
fi
EOF
chmod +x /tmp/www/cgi-bin/task
mkfifo /tmp/hold
# The reader opens the fifo and never reads: dd fills its HOLD_KB buffer, writes 64 KiB and blocks, holding
# the buffer resident. It is the agent's biggest process: an OOM kill takes it, and the agent dies with it.
sleep 2147483647 < /tmp/hold &
httpd -p "127.0.0.1:$PORT" -h /tmp/www
dd if=/dev/zero bs="${HOLD_KB}k" count=1 of=/tmp/hold 2>/dev/null &
wait $!
exit 137
