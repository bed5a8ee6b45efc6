package dev.clauderelay.gateway;

import dev.clauderelay.api.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options of a {@link GatewayVerticle}, in the Vert.x data-object style: fluent setters that check
 * their argument at once, a JSON constructor that refuses unknown keys, {@link #toJson()} (tokens
 * as fingerprints only). {@code host}, {@code port}, {@code tokens} and {@code maxBodyBytes} come
 * from the {@code gateway} section of the config file; the time limits are defaults that tests and
 * embedders may change.
 */
public final class GatewayOptions {
  /** Loopback: exposing the gateway to a network is a decision, not a default. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;

  /** 32 MiB, bytes: the Anthropic API's own request limit. */
  public static final long DEFAULT_MAX_BODY_BYTES = 33_554_432L;

  /**
   * From a new connection to the end of its first request's headers, milliseconds: a client that
   * opens a connection and drips its headers is cut after this.
   */
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;

  /** From a request's headers to the end of its body, milliseconds; then 408 and close. */
  public static final long DEFAULT_BODY_TIMEOUT_MS = 60_000;

  /**
   * Milliseconds a connection may sit without a request in progress (keep-alive) before it is
   * closed; also how long a streamed response may wait for a client that reads nothing.
   */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  /** Longest request line (method, path, query, version), bytes; above it 414. */
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4096;

  /** Largest header block, bytes; above it 431. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 8192;

  /**
   * Milliseconds of silence on a streamed response after which the gateway writes an SSE {@code
   * ping} of its own (the engine does not pass the upstream's pings on); 0 = never.
   */
  public static final long DEFAULT_PING_INTERVAL_MS = 15_000;

  /** How long a stopping gateway lets in-flight requests finish, milliseconds. */
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> tokens = List.of();
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private long headerTimeoutMs = DEFAULT_HEADER_TIMEOUT_MS;
  private long bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
  private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;

  public GatewayOptions() {}

  public GatewayOptions(GatewayOptions other) {
    host = other.host;
    port = other.port;
    tokens = other.tokens;
    maxBodyBytes = other.maxBodyBytes;
    headerTimeoutMs = other.headerTimeoutMs;
    bodyTimeoutMs = other.bodyTimeoutMs;
    idleTimeoutMs = other.idleTimeoutMs;
    maxInitialLineLength = other.maxInitialLineLength;
    maxHeaderSize = other.maxHeaderSize;
    pingIntervalMs = other.pingIntervalMs;
    shutdownTimeoutMs = other.shutdownTimeoutMs;
  }

  /**
   * Reads options from JSON; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException on an unknown key or a value of the wrong type or range
   */
  public GatewayOptions(JsonObject json) {
    for (Map.Entry<String, Object> e : json) {
      String key = e.getKey();
      Object v = e.getValue();
      switch (key) {
        case "host" -> setHost(text(key, v));
        case "port" -> setPort((int) number(key, v));
        case "tokens" -> setTokens(texts(key, v));
        case "maxBodyBytes" -> setMaxBodyBytes(number(key, v));
        case "headerTimeoutMs" -> setHeaderTimeoutMs(number(key, v));
        case "bodyTimeoutMs" -> setBodyTimeoutMs(number(key, v));
        case "idleTimeoutMs" -> setIdleTimeoutMs(number(key, v));
        case "maxInitialLineLength" -> setMaxInitialLineLength((int) number(key, v));
        case "maxHeaderSize" -> setMaxHeaderSize((int) number(key, v));
        case "pingIntervalMs" -> setPingIntervalMs(number(key, v));
        case "shutdownTimeoutMs" -> setShutdownTimeoutMs(number(key, v));
        default ->
            throw new IllegalArgumentException(
                "unknown gateway option '"
                    + key
                    + "'; known: host, port, tokens, maxBodyBytes, headerTimeoutMs, bodyTimeoutMs,"
                    + " idleTimeoutMs, maxInitialLineLength, maxHeaderSize, pingIntervalMs,"
                    + " shutdownTimeoutMs");
      }
    }
  }

  /** The options as JSON; tokens appear as fingerprints, so this is safe to log. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("tokens", new JsonArray(tokens.stream().map(Secrets::fingerprint).toList()))
        .put("maxBodyBytes", maxBodyBytes)
        .put("headerTimeoutMs", headerTimeoutMs)
        .put("bodyTimeoutMs", bodyTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("maxInitialLineLength", maxInitialLineLength)
        .put("maxHeaderSize", maxHeaderSize)
        .put("pingIntervalMs", pingIntervalMs)
        .put("shutdownTimeoutMs", shutdownTimeoutMs);
  }

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("gateway host must be a non-blank host name or address");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** TCP port; 0 picks a free one ({@link GatewayVerticle#actualPort()}). */
  public GatewayOptions setPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("gateway port must be 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public List<String> getTokens() {
    return tokens;
  }

  /**
   * Client tokens accepted in {@code x-api-key} or {@code Authorization: Bearer}. Empty means no
   * client authentication, which the verticle accepts only on a loopback host.
   */
  public GatewayOptions setTokens(List<String> tokens) {
    List<String> copy = new ArrayList<>();
    for (String t : tokens) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("gateway tokens must be non-blank");
      }
      copy.add(t);
    }
    this.tokens = List.copyOf(copy);
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /** Largest request body, bytes; above it 413. */
  public GatewayOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = range("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE);
    return this;
  }

  public long getHeaderTimeoutMs() {
    return headerTimeoutMs;
  }

  /** See {@link #DEFAULT_HEADER_TIMEOUT_MS}. */
  public GatewayOptions setHeaderTimeoutMs(long headerTimeoutMs) {
    this.headerTimeoutMs = range("headerTimeoutMs", headerTimeoutMs, 1, Integer.MAX_VALUE);
    return this;
  }

  public long getBodyTimeoutMs() {
    return bodyTimeoutMs;
  }

  /** See {@link #DEFAULT_BODY_TIMEOUT_MS}. */
  public GatewayOptions setBodyTimeoutMs(long bodyTimeoutMs) {
    this.bodyTimeoutMs = range("bodyTimeoutMs", bodyTimeoutMs, 1, Integer.MAX_VALUE);
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** See {@link #DEFAULT_IDLE_TIMEOUT_MS}. */
  public GatewayOptions setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = range("idleTimeoutMs", idleTimeoutMs, 1, Integer.MAX_VALUE);
    return this;
  }

  public int getMaxInitialLineLength() {
    return maxInitialLineLength;
  }

  /** See {@link #DEFAULT_MAX_INITIAL_LINE_LENGTH}. */
  public GatewayOptions setMaxInitialLineLength(int maxInitialLineLength) {
    this.maxInitialLineLength =
        (int) range("maxInitialLineLength", maxInitialLineLength, 256, 1 << 20);
    return this;
  }

  public int getMaxHeaderSize() {
    return maxHeaderSize;
  }

  /** See {@link #DEFAULT_MAX_HEADER_SIZE}. */
  public GatewayOptions setMaxHeaderSize(int maxHeaderSize) {
    this.maxHeaderSize = (int) range("maxHeaderSize", maxHeaderSize, 1024, 1 << 20);
    return this;
  }

  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  /** See {@link #DEFAULT_PING_INTERVAL_MS}. */
  public GatewayOptions setPingIntervalMs(long pingIntervalMs) {
    this.pingIntervalMs = range("pingIntervalMs", pingIntervalMs, 0, Integer.MAX_VALUE);
    return this;
  }

  public long getShutdownTimeoutMs() {
    return shutdownTimeoutMs;
  }

  /** See {@link #DEFAULT_SHUTDOWN_TIMEOUT_MS}. */
  public GatewayOptions setShutdownTimeoutMs(long shutdownTimeoutMs) {
    this.shutdownTimeoutMs = range("shutdownTimeoutMs", shutdownTimeoutMs, 0, Integer.MAX_VALUE);
    return this;
  }

  private static long range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "gateway " + key + " must be " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  private static String text(String key, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("gateway " + key + " must be a string, got " + v);
  }

  private static long number(String key, Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException("gateway " + key + " must be an integer, got " + v);
  }

  private static List<String> texts(String key, Object v) {
    if (!(v instanceof JsonArray array)) {
      throw new IllegalArgumentException("gateway " + key + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      out.add(text(key, o));
    }
    return out;
  }

  @Override
  public String toString() {
    return "GatewayOptions" + toJson().encode();
  }
}
