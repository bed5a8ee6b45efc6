#!/usr/bin/env bash
# A 200 MB input through `batch` with -Xmx128m against the simulator in a separate JVM: completes
# with memory bounded by configuration, not by the input (docs/benchmarks.md).
# Usage: bench/batch-200mb.sh [SIZE_MB] [extra batch flags, e.g. --concurrency 8]
#   BUILD_DIR=/tmp/x  build there instead of target/ (parallel builds)
#   WORK_DIR=/tmp/y   where the input, output and logs go (default /tmp/claude-relay-batch-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-200}"
shift || true
BUILD_DIR="${BUILD_DIR:-$PWD/target}"
WORK="${WORK_DIR:-/tmp/claude-relay-batch-bench}"
JAR="$BUILD_DIR/claude-relay.jar"
mvn -B -q -DskipTests -Dbuild.dir="$BUILD_DIR" package
mkdir -p "$WORK"

INPUT="$WORK/input-${SIZE_MB}mb.txt"
if [ ! -s "$INPUT" ]; then
  echo "generating $INPUT ..."
  # Paragraphs of 1-8 sentences, some multibyte words, blank lines between; fixed seed.
  perl -e '
    srand(42);
    my @w = qw(the relay streams each chunk in order while backpressure reaches reader
               café naïve 日本語 résumé paragraph boundary model answer token checkpoint);
    my $target = $ARGV[0] * 1024 * 1024; my $n = 0;
    while ($n < $target) {
      my $p = "";
      for (1 .. 1 + int(rand(8))) {
        $p .= join(" ", map { $w[rand @w] } 1 .. 3 + int(rand(15))) . ". ";
      }
      $p .= "\n\n"; print $p; $n += length($p);
    }' "$SIZE_MB" > "$INPUT"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx512m -jar "$JAR" simulate --port "$PORT" --max-text-tokens 16 > "$WORK/sim.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.05
done

cat > "$WORK/config.yaml" <<YAML
regions:
  - name: sim
    baseUrl: "http://127.0.0.1:$PORT"
    apiKeys: ["bench-key"]
rateLimit: { requestsPerMinute: 1000000 }   # the simulator does not limit; pacing would
YAML

OUT="$WORK/out.jsonl"
rm -f "$OUT" "$OUT".checkpoint "$OUT".prev "$OUT".prev.checkpoint
echo "batch on $(du -h "$INPUT" | cut -f1) with -Xmx128m, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s.%N)
set +e
/usr/bin/time -v -o "$WORK/time.txt" java -Xmx128m -Xlog:gc:file="$WORK/gc.log" -jar "$JAR" batch \
  --input "$INPUT" --out "$OUT" --prompt "Summarise this passage in one sentence." \
  --config "$WORK/config.yaml" --progress lines --progress-interval-ms 10000 "$@" \
  2> "$WORK/batch.err"
CODE=$?
set -e
END=$(date +%s.%N)
tail -n 3 "$WORK/batch.err"
echo "exit code:   $CODE"
echo "wall time:   $(echo "$END - $START" | bc) s"
echo "peak RSS:    $(grep 'Maximum resident' "$WORK/time.txt" | awk '{print $NF}') KB"
echo "heap after GC, largest: $(grep -oE '[0-9]+M->[0-9]+M' "$WORK/gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1) MB ($(grep -c 'Pause' "$WORK/gc.log") GC pauses)"
echo "output:      $(wc -l < "$OUT") lines, $(du -h "$OUT" | cut -f1), $(grep -o '^{"chunk":[0-9]*' "$OUT" \
  | cut -d: -f2 | awk '$1 != NR - 1 { bad++ } END { print (bad ? "NOT in order" : "chunks 0.." NR - 1 " in order") }')"
echo "errors:      $(grep -c '"error"' "$OUT" || true) lines"
exit "$CODE"
