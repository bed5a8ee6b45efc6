package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP client of each region. Not in DESIGN.md's YAML block: added so that these limits, which
 * {@code ClaudeClientOptions} already has, can be set in the file too. Defaults and ranges match
 * {@code ClaudeClientOptions}.
 *
 * @param connectTimeoutMs TCP + TLS connect limit, milliseconds
 * @param responseTimeoutMs from sending to the response headers, milliseconds; long because a
 *     non-streamed message sends its headers only when the generation is done
 * @param idleTimeoutMs longest silence while reading a response body, milliseconds
 * @param maxConnections HTTP/1.1 connections per region
 * @param maxWaitQueue requests waiting for a pooled connection before new ones are refused
 * @param epoll the {@code serve} and {@code demo} processes run Vert.x on Linux's native epoll
 *     transport when it can be loaded (fewer system calls per request than Java NIO; measured in
 *     docs/benchmarks.md), NIO otherwise; {@code false} forces NIO. Embedded use keeps the
 *     application's own Vert.x.
 */
public record TransportConfig(
    long connectTimeoutMs,
    long responseTimeoutMs,
    long idleTimeoutMs,
    int maxConnections,
    int maxWaitQueue,
    boolean epoll) {
  /** Milliseconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  /** Milliseconds: 10 minutes, as the SDKs. */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 600_000;

  /** Milliseconds. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  public static final int DEFAULT_MAX_WAIT_QUEUE = 10_000;
  public static final boolean DEFAULT_EPOLL = true;

  static final Range CONNECT_TIMEOUT_MS = Range.of(1, 600_000);
  static final Range TIMEOUT_MS = Range.of(1, Range.DAY_MS);
  static final Range MAX_CONNECTIONS = Range.of(1, 100_000);
  static final Range MAX_WAIT_QUEUE = Range.of(0, 10_000_000);

  public TransportConfig {
    CONNECT_TIMEOUT_MS.check("transport.connectTimeoutMs", connectTimeoutMs);
    TIMEOUT_MS.check("transport.responseTimeoutMs", responseTimeoutMs);
    TIMEOUT_MS.check("transport.idleTimeoutMs", idleTimeoutMs);
    MAX_CONNECTIONS.checkInt("transport.maxConnections", maxConnections);
    MAX_WAIT_QUEUE.checkInt("transport.maxWaitQueue", maxWaitQueue);
  }

  public static TransportConfig defaults() {
    return new TransportConfig(
        DEFAULT_CONNECT_TIMEOUT_MS,
        DEFAULT_RESPONSE_TIMEOUT_MS,
        DEFAULT_IDLE_TIMEOUT_MS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_WAIT_QUEUE,
        DEFAULT_EPOLL);
  }

  static TransportConfig read(Section s) {
    return new TransportConfig(
        s.longIn("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS),
        s.longIn("responseTimeoutMs", DEFAULT_RESPONSE_TIMEOUT_MS, TIMEOUT_MS),
        s.longIn("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS, TIMEOUT_MS),
        s.intIn("maxConnections", DEFAULT_MAX_CONNECTIONS, MAX_CONNECTIONS),
        s.intIn("maxWaitQueue", DEFAULT_MAX_WAIT_QUEUE, MAX_WAIT_QUEUE),
        s.bool("epoll", DEFAULT_EPOLL));
  }

  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("responseTimeoutMs", responseTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("maxConnections", maxConnections)
        .put("maxWaitQueue", maxWaitQueue)
        .put("epoll", epoll);
  }

  @Override
  public String toString() {
    return "TransportConfig" + toSafeJson().encode();
  }
}
