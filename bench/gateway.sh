#!/usr/bin/env bash
# Gateway overhead against the same upstream called directly (docs/benchmarks.md, "Gateway
# overhead"): added latency p50/p99 at a fixed request rate (open loop), gateway CPU per request,
# stream time to first byte, gateway RSS under load. Three JVMs besides the load generator's: the
# simulator (upstream), a bare Vert.x proxy (the floor; BARE=0 skips it) and the gateway.
#
# Usage: bench/gateway.sh [-Dbench.rate=1000 -Dbench.rounds=5 -Dbench.roundSeconds=5
#                          -Dbench.warmupSeconds=10 -Dbench.streamRate=100 ...]
# Environment:
#   BUILD_DIR      where the jar is built (default target/); built when missing or older than src/
#   GATEWAY_JVM    the gateway's (and bare proxy's) JVM flags (default below)
#   GATEWAY_LOG_LEVEL  the relay's log level in the gateway (default INFO: one access line per request)
#   SIM_LATENCY_MS upstream latency added by the simulator (default 0)
#   GATEWAY_CONFIG_EXTRA  YAML lines appended to the gateway's config (e.g. "health: {intervalMs: 60000}")
#   BARE=0         no bare-proxy baseline
#   KEEP=1         keep the work directory (config, logs)
#   BASELINE_JAR   another build's jar, run as a second gateway ("gateway before") in the same
#                  rounds: before/after figures of an optimisation under the same machine load
#   BASELINE_JVM   that gateway's JVM flags (default GATEWAY_JVM): the same jar twice with other
#                  flags compares flags
#   GATEWAY_JAVA, BASELINE_JAVA  the java binaries of the gateway and of the baseline (default: java
#                  on the PATH), e.g. to compare Java runtimes in the same rounds
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-$PWD/target}"
JAR="$BUILD_DIR/claude-relay.jar"
# A small fixed heap and the serial collector: the gateway holds little (requests in flight), a
# 128 MB heap is ample, and on a 2-core machine a single-threaded young collection of a few MB is
# cheaper in CPU than G1's concurrent machinery. -Xss512k: event loops need no deep stacks.
GATEWAY_JVM="${GATEWAY_JVM:--Xms64m -Xmx128m -XX:+UseSerialGC -Xss512k}"
SIDE_JVM="-Xmx256m -XX:+UseSerialGC"

if [[ ! -f "$JAR" || ! -f "$BUILD_DIR/test-classes/dev/clauderelay/bench/GatewayBench.class" ||
  -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]]; then
  mvn -B -q -DskipTests -Dbuild.dir="$BUILD_DIR" package test-compile
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/claude-relay-gateway-bench.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (30 s at most) for "listening on http://…" in $1 and prints the URL.
url_from() {
  for _ in $(seq 300); do
    if url="$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | head -1)" &&
      [[ -n "$url" ]]; then
      echo "${url#listening on }"
      return 0
    fi
    sleep 0.1
  done
  echo "no 'listening on' line in $1:" >&2
  cat "$1" >&2
  return 1
}

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"

# shellcheck disable=SC2086
java $SIDE_JVM -cp "$JAR" dev.clauderelay.cli.Main simulate --port 0 --profile healthy \
  --latency-ms "${SIM_LATENCY_MS:-0}" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
PIDS+=("$SIM_PID")
SIM_URL="$(url_from "$WORK/sim.log")"

cat >"$WORK/config.yaml" <<EOF
gateway: { host: 127.0.0.1, port: 0, tokens: ["bench-token"] }
regions:
  - name: sim
    baseUrl: "$SIM_URL"
    apiKeys: ["bench-key"]
# The default pacing (60/min per key) would make this a test of the pacer.
rateLimit: { requestsPerMinute: 1000000 }
# Every request of the run is the same: a cache would answer them without going upstream.
cache: { enabled: false }
degrade: { pendingDir: "$WORK/pending" }
${GATEWAY_CONFIG_EXTRA:-}
EOF

# The log level is a system property, not the CLAUDE_RELAY_LOG_LEVEL variable: serve refuses
# CLAUDE_RELAY_* variables that are not configuration keys.
# shellcheck disable=SC2086
"${GATEWAY_JAVA:-java}" $GATEWAY_JVM -DCLAUDE_RELAY_LOG_LEVEL="${GATEWAY_LOG_LEVEL:-INFO}" -jar "$JAR" serve \
  --config "$WORK/config.yaml" >"$WORK/gateway.out" 2>"$WORK/gateway.log" &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
GATEWAY_URL="$(url_from "$WORK/gateway.out")"

BARE_ARGS=()
if [[ "${BARE:-1}" != 0 ]]; then
  # shellcheck disable=SC2086
  java $GATEWAY_JVM -cp "$JAR:$BUILD_DIR/test-classes" dev.clauderelay.bench.BareProxy "$SIM_URL" \
    >"$WORK/bare.log" 2>&1 &
  BARE_PID=$!
  PIDS+=("$BARE_PID")
  BARE_ARGS=(-Dbench.bare="$(url_from "$WORK/bare.log")" -Dbench.barePid="$BARE_PID")
fi

if [[ -n "${BASELINE_JAR:-}" ]]; then
  # shellcheck disable=SC2086
  "${BASELINE_JAVA:-java}" ${BASELINE_JVM:-$GATEWAY_JVM} -DCLAUDE_RELAY_LOG_LEVEL="${GATEWAY_LOG_LEVEL:-INFO}" \
    -jar "$BASELINE_JAR" \
    serve --config "$WORK/config.yaml" >"$WORK/baseline.out" 2>"$WORK/baseline.log" &
  BASELINE_PID=$!
  PIDS+=("$BASELINE_PID")
  BARE_ARGS+=(-Dbench.baseline="$(url_from "$WORK/baseline.out")" -Dbench.baselinePid="$BASELINE_PID")
fi

echo "upstream $SIM_URL (pid $SIM_PID); gateway $GATEWAY_URL (pid $GATEWAY_PID, log level" \
  "${GATEWAY_LOG_LEVEL:-INFO}); gateway and bare proxy JVM flags: $GATEWAY_JVM"
# shellcheck disable=SC2086
java $SIDE_JVM -cp "$JAR:$BUILD_DIR/test-classes" \
  -Dbench.upstream="$SIM_URL" -Dbench.simPid="$SIM_PID" \
  -Dbench.gateway="$GATEWAY_URL" -Dbench.gatewayPid="$GATEWAY_PID" -Dbench.token=bench-token \
  "${BARE_ARGS[@]}" -Dbench.clkTck="$(getconf CLK_TCK)" -DCLAUDE_RELAY_LOG_LEVEL=WARN "$@" \
  dev.clauderelay.bench.GatewayBench
echo "gateway log: $(wc -l <"$WORK/gateway.log") lines, $(grep -c ' WARN \| ERROR ' "$WORK/gateway.log" || true) WARN/ERROR"
