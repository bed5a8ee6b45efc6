package dev.clauderelay.gateway;

/**
 * What the gateway learns about one request while serving it, for its response headers and its one
 * log line. Confined to the request's event loop.
 */
final class RequestRecord {
  static final String KEY = "claude-relay.request";

  final String relayId = RequestIds.next();
  final long startNanos = System.nanoTime();
  final String method;
  final String path;

  /** Health, status and metrics requests log at debug level: probes would drown the log. */
  final boolean quiet;

  String region;
  int attempts;
  String upstreamRequestId;

  /** Extra words for the log line (e.g. {@code events=12}, {@code error=…}). */
  String detail;

  /** {@code cache}, {@code stale-cache}, {@code local-model}, {@code queued}; null when not. */
  String degraded;

  RequestRecord(String method, String path, boolean quiet) {
    this.method = method;
    this.path = path;
    this.quiet = quiet;
  }

  /** The id the client is told: the upstream's when one answered, else the relay's. */
  String requestId() {
    return upstreamRequestId != null ? upstreamRequestId : relayId;
  }

  void served(String region, int attempts, String upstreamRequestId) {
    if (region != null) {
      this.region = region;
    }
    this.attempts = Math.max(this.attempts, attempts);
    if (upstreamRequestId != null) {
      this.upstreamRequestId = upstreamRequestId;
    }
  }

  /** Marks the answer as degraded (also in the log line's detail); null leaves it unmarked. */
  void degraded(String level) {
    if (level != null) {
      degraded = level;
      detail = detail == null ? "degraded=" + level : detail + " degraded=" + level;
    }
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
