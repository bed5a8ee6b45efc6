package dev.clauderelay.engine;

/**
 * What the engine needs to run calls to one region. Adapters build it from their own options so
 * that no adapter touches the transport.
 *
 * @param region name used in logs, errors and metrics
 * @param baseUrl the region's base URL
 * @param apiKey upstream key
 * @param anthropicVersion sent when the caller gives none
 * @param maxRetries retries after the first attempt
 * @param initialBackoffMs first backoff step, milliseconds
 * @param maxBackoffMs largest backoff step, milliseconds
 * @param maxRetryAfterMs longest retry-after waited for, milliseconds
 * @param deadlineMs default limit of a whole call, milliseconds
 * @param connectTimeoutMs TCP + TLS connect limit, milliseconds
 * @param responseTimeoutMs time to response headers, milliseconds
 * @param idleTimeoutMs longest silence while reading a body, milliseconds
 * @param maxConnections pool size
 * @param maxWaitQueue pool wait queue bound
 * @param streamIdleTimeoutMs longest upstream silence in a stream, milliseconds
 * @param pingsAreActivity whether pings reset the stream stall watchdog
 */
public record EngineConfig(
    String region,
    String baseUrl,
    String apiKey,
    String anthropicVersion,
    int maxRetries,
    long initialBackoffMs,
    long maxBackoffMs,
    long maxRetryAfterMs,
    long deadlineMs,
    long connectTimeoutMs,
    long responseTimeoutMs,
    long idleTimeoutMs,
    int maxConnections,
    int maxWaitQueue,
    long streamIdleTimeoutMs,
    boolean pingsAreActivity) {}
