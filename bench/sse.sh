#!/usr/bin/env bash
# SSE decoding throughput with JMH (docs/benchmarks.md). Extra args go to JMH, e.g. -f 1 -wi 2 -i 3.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main SseDecoderBench "$@"
