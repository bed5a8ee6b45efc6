#!/usr/bin/env bash
# Client round trip, CPU per call and 1,000 in-flight calls against the simulator (docs/benchmarks.md).
# Usage: bench/client.sh [-Dbench.rounds=5 -Dbench.calls=2000 -Dbench.inflight=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile
exec java -Xmx512m "$@" -cp target/claude-relay.jar:target/test-classes dev.clauderelay.bench.ClientBench
