package dev.clauderelay.health;

import io.vertx.core.net.ClientSSLOptions;

/**
 * Health probing ({@code health.*} in the configuration).
 *
 * @param intervalMs pause between the end of one probe round and the start of the next,
 *     milliseconds
 * @param timeoutMs limit of one region's probe (DNS, TCP, TLS and HTTP together), milliseconds
 * @param tls trust for the TLS handshake probe (e.g. extra CAs from {@code tls.caFile}); null uses
 *     the JVM's trust store. Host names are always verified.
 */
public record HealthOptions(long intervalMs, long timeoutMs, ClientSSLOptions tls) {
  /** Milliseconds. */
  public static final long DEFAULT_INTERVAL_MS = 10_000;

  /** Milliseconds. */
  public static final long DEFAULT_TIMEOUT_MS = 3_000;

  public HealthOptions {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("health.intervalMs must be >= 1, got " + intervalMs);
    }
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("health.timeoutMs must be >= 1, got " + timeoutMs);
    }
  }

  public HealthOptions(long intervalMs, long timeoutMs) {
    this(intervalMs, timeoutMs, null);
  }

  public static HealthOptions defaults() {
    return new HealthOptions(DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS);
  }
}
