#!/usr/bin/env bash
# Starts `java -jar target/claude-relay.jar simulate --profile flaky` and checks that curl gets
# Anthropic-shaped answers from it (the flaky profile may answer 429/500/529 too: those must carry
# Anthropic error JSON). Bounded: gives up after 20 s. Then runs the README's run command,
# `java -jar target/claude-relay.jar demo`, which must exit 0 with every request answered
# (bounded by 120 s; a few seconds on an idle machine).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-18090}
log=$(mktemp)
demo_out=$(mktemp)
java -jar target/claude-relay.jar simulate --port "$port" --profile flaky --seed 7 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log" "$demo_out"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/v1/models" -H 'x-api-key: smoke' && break
  sleep 0.2
done
ok=0
for i in $(seq 1 20); do
  body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$port/v1/messages" \
    -H 'x-api-key: smoke' -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \
    -d '{"model":"claude-sonnet-4-6","max_tokens":32,"messages":[{"role":"user","content":"hi '"$i"'"}]}')
  code=${body##*$'\n'}; json=${body%$'\n'*}
  case "$code" in
    200) echo "$json" | grep -q '"type":"message"' && ok=$((ok+1)) ;;
    429|500|529) echo "$json" | grep -q '"type":"error"' || { echo "bad error body: $json"; exit 1; } ;;
    *) echo "unexpected status $code: $json"; exit 1 ;;
  esac
done
[ "$ok" -gt 0 ] || { echo "no successful answer in 20 calls"; cat "$log"; exit 1; }
echo "smoke: simulate --profile flaky answered $ok/20 calls with a message, the rest with Anthropic errors"

kill $pid 2>/dev/null || true
wait $pid 2>/dev/null || true

if ! timeout 120 java -jar target/claude-relay.jar demo >"$demo_out" 2>&1; then
  echo "demo did not exit 0:"; cat "$demo_out"; exit 1
fi
grep -q 'unanswered: 0' "$demo_out" || { echo "demo left requests unanswered:"; cat "$demo_out"; exit 1; }
echo "smoke: demo exited 0 ($(grep -m1 'requests:' "$demo_out" | sed 's/^ *//'))"
