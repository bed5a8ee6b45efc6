#!/usr/bin/env bash
# 1,000 concurrent streams in one JVM on the default event loops, against the simulator in a
# separate JVM: wall time, heap, threads (docs/benchmarks.md).
# Usage: bench/streams.sh [-Dbench.streams=1000 -Dbench.rounds=5 -Dbench.tokens=100 -Dbench.deltaDelayMs=10]
# BUILD_DIR=/tmp/x bench/streams.sh builds there instead of target/ (parallel builds).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-$PWD/target}"
export CLAUDE_RELAY_LOG_LEVEL="${CLAUDE_RELAY_LOG_LEVEL:-WARN}"
mvn -B -q -DskipTests -Dbuild.dir="$BUILD_DIR" package test-compile
exec java -Xmx512m "$@" -cp "$BUILD_DIR/claude-relay.jar:$BUILD_DIR/test-classes" \
  dev.clauderelay.bench.StreamsBench
