#!/usr/bin/env bash
# Seconds from `make run` (warm venv, existing embedded data) to a green /healthz. Target: under 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-5077}
start=$(date +%s.%N)
PORT=$port setsid make run >/tmp/chalkline-startup.log 2>&1 &
runner=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
  sleep 0.1
  if ! kill -0 $runner 2>/dev/null; then echo "make run exited early; see /tmp/chalkline-startup.log"; exit 1; fi
done
end=$(date +%s.%N)
echo "make run -> healthy in $(echo "$end - $start" | bc) s"
kill -INT -- -"$runner" 2>/dev/null || true
wait $runner || true
