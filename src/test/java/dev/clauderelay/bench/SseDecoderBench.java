package dev.clauderelay.bench;

import dev.clauderelay.api.sse.SseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SSE decoding throughput: one megabyte of realistic Anthropic text-delta events, fed in network
 * chunks of the given size. Throughput in MB/s = 1 / (score in s/op). Run: {@code bench/sse.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseDecoderBench {
  /** Bytes in the input: 1 MiB. */
  static final int INPUT_BYTES = 1 << 20;

  @Param({"1024", "16384"})
  public int chunkSize;

  private byte[][] chunks;

  @Setup(Level.Trial)
  public void build() {
    StringBuilder sb = new StringBuilder(INPUT_BYTES + 512);
    int i = 0;
    while (sb.length() < INPUT_BYTES) {
      sb.append("event: content_block_delta\n")
          .append("data: {\"type\":\"content_block_delta\",\"index\":0,")
          .append("\"delta\":{\"type\":\"text_delta\",\"text\":\" word")
          .append(i++)
          .append(" of the generated answer\"}}\n\n");
    }
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    int n = (all.length + chunkSize - 1) / chunkSize;
    chunks = new byte[n][];
    for (int c = 0; c < n; c++) {
      int from = c * chunkSize;
      chunks[c] = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + chunkSize));
    }
  }

  @Benchmark
  public void decodeOneMegabyte(Blackhole bh) {
    SseDecoder decoder = new SseDecoder(bh::consume, 1 << 20);
    for (byte[] chunk : chunks) {
      decoder.feed(chunk);
    }
  }
}
