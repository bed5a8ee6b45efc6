package dev.clauderelay.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and the recent-request log. Written on the server's event loop, read from test threads,
 * hence thread-safe; the log is bounded so a long-running {@code simulate} does not grow forever.
 */
final class SimStats {

  private final int maxRecorded;
  private final AtomicLong total = new AtomicLong();
  private final Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final ArrayDeque<RecordedRequest> recent = new ArrayDeque<>();

  SimStats(int maxRecorded) {
    this.maxRecorded = maxRecorded;
  }

  /** Counts an arrival and returns its 0-based sequence number. */
  long arrive(String path) {
    byPath.computeIfAbsent(path, p -> new LongAdder()).increment();
    return total.getAndIncrement();
  }

  void record(RecordedRequest request) {
    if (maxRecorded == 0) {
      return;
    }
    synchronized (recent) {
      if (recent.size() == maxRecorded) {
        recent.removeFirst();
      }
      recent.addLast(request);
    }
  }

  void countStatus(int status) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  long total() {
    return total.get();
  }

  long forPath(String path) {
    LongAdder adder = byPath.get(path);
    return adder == null ? 0 : adder.sum();
  }

  long forStatus(int status) {
    LongAdder adder = byStatus.get(status);
    return adder == null ? 0 : adder.sum();
  }

  List<RecordedRequest> recent() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  RecordedRequest last() {
    synchronized (recent) {
      return recent.peekLast();
    }
  }

  void reset() {
    total.set(0);
    byPath.clear();
    byStatus.clear();
    synchronized (recent) {
      recent.clear();
    }
  }
}
