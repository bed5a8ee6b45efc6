package dev.clauderelay.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Options of a {@link SimulatedAnthropic}, in Vert.x data-object style: setters return {@code this}
 * and check their argument at once, so that a wrong value fails where it is set, naming the option
 * and its allowed range.
 *
 * <p>JSON keys equal the property names ({@code host}, {@code port}, {@code profile}, …); an
 * unknown or mistyped key is an {@link IllegalArgumentException}, as everywhere in claude-relay's
 * config.
 */
public class SimOptions {

  /** Interface to listen on. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** TCP port; {@code 0} picks a free ephemeral port (see {@link SimulatedAnthropic#port()}). */
  public static final int DEFAULT_PORT = 0;

  /** Fault profile applied when no scripted response is queued. */
  public static final FaultProfile DEFAULT_PROFILE = FaultProfile.HEALTHY;

  /** Seed of the generated text and of the {@code flaky} profile's dice. */
  public static final long DEFAULT_SEED = 0L;

  /** Base latency added to every response, in milliseconds. */
  public static final long DEFAULT_LATENCY_MS = 0L;

  /** Requests allowed per key and window under the {@code ratelimited} profile. */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;

  /** Length of the {@code ratelimited} profile's fixed window, in milliseconds (one minute). */
  public static final long DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000L;

  /** Tokens (input + output estimate) allowed per key and window under {@code ratelimited}. */
  public static final long DEFAULT_TOKENS_PER_MINUTE = 80_000L;

  /** Whether a request must carry {@code x-api-key} or {@code Authorization: Bearer}. */
  public static final boolean DEFAULT_REQUIRE_AUTH = true;

  /**
   * Most words (one word = one output token) a generated answer has, in tokens; an answer reaches
   * this length unless {@code max_tokens} is smaller, which ends it with {@code max_tokens}.
   */
  public static final int DEFAULT_MAX_TEXT_TOKENS = 256;

  /** Pause between two streamed content deltas, in milliseconds; 0 writes them back to back. */
  public static final long DEFAULT_STREAM_DELTA_DELAY_MS = 0L;

  /** Largest accepted request body, in bytes (Anthropic's limit: 32 MiB); above it 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

  /**
   * How many received requests are kept for inspection (oldest dropped first); counts stay exact.
   */
  public static final int DEFAULT_MAX_RECORDED_REQUESTS = 1000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private FaultProfile profile = DEFAULT_PROFILE;
  private long seed = DEFAULT_SEED;
  private long latencyMs = DEFAULT_LATENCY_MS;
  private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
  private long rateLimitWindowMs = DEFAULT_RATE_LIMIT_WINDOW_MS;
  private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;
  private boolean requireAuth = DEFAULT_REQUIRE_AUTH;
  private Set<String> acceptedKeys = new LinkedHashSet<>();
  private int maxTextTokens = DEFAULT_MAX_TEXT_TOKENS;
  private long streamDeltaDelayMs = DEFAULT_STREAM_DELTA_DELAY_MS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxRecordedRequests = DEFAULT_MAX_RECORDED_REQUESTS;

  public SimOptions() {}

  /** Copy constructor. */
  public SimOptions(SimOptions other) {
    this(other.toJson());
  }

  /**
   * Reads options from JSON; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException on an unknown key, a value of the wrong type or out of range
   */
  public SimOptions(JsonObject json) {
    for (Map.Entry<String, Object> entry : json) {
      String key = entry.getKey();
      Object value = entry.getValue();
      switch (key) {
        case "host" -> setHost(string(key, value));
        case "port" -> setPort(integer(key, value));
        case "profile" -> setProfile(FaultProfile.parse(string(key, value)));
        case "seed" -> setSeed(number(key, value));
        case "latencyMs" -> setLatencyMs(number(key, value));
        case "requestsPerMinute" -> setRequestsPerMinute(integer(key, value));
        case "rateLimitWindowMs" -> setRateLimitWindowMs(number(key, value));
        case "tokensPerMinute" -> setTokensPerMinute(number(key, value));
        case "requireAuth" -> setRequireAuth(bool(key, value));
        case "acceptedKeys" -> setAcceptedKeys(strings(key, value));
        case "maxTextTokens" -> setMaxTextTokens(integer(key, value));
        case "streamDeltaDelayMs" -> setStreamDeltaDelayMs(number(key, value));
        case "maxBodyBytes" -> setMaxBodyBytes(number(key, value));
        case "maxRecordedRequests" -> setMaxRecordedRequests(integer(key, value));
        default ->
            throw new IllegalArgumentException(
                "unknown simulator option '"
                    + key
                    + "'; known: host, port, profile, seed, latencyMs, requestsPerMinute,"
                    + " rateLimitWindowMs, tokensPerMinute, requireAuth, acceptedKeys,"
                    + " maxTextTokens, streamDeltaDelayMs, maxBodyBytes, maxRecordedRequests");
      }
    }
  }

  /** All options as JSON; {@code new SimOptions(o.toJson())} equals {@code o}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("profile", profile.cliName())
        .put("seed", seed)
        .put("latencyMs", latencyMs)
        .put("requestsPerMinute", requestsPerMinute)
        .put("rateLimitWindowMs", rateLimitWindowMs)
        .put("tokensPerMinute", tokensPerMinute)
        .put("requireAuth", requireAuth)
        .put("acceptedKeys", new JsonArray(acceptedKeys.stream().map(k -> (Object) k).toList()))
        .put("maxTextTokens", maxTextTokens)
        .put("streamDeltaDelayMs", streamDeltaDelayMs)
        .put("maxBodyBytes", maxBodyBytes)
        .put("maxRecordedRequests", maxRecordedRequests);
  }

  public String getHost() {
    return host;
  }

  /** Interface to listen on; default {@value #DEFAULT_HOST}. */
  public SimOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "SimOptions.host must be a non-blank host name or address");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** TCP port, 0..65535; 0 (the default) picks an ephemeral port. */
  public SimOptions setPort(int port) {
    this.port = (int) inRange("port", port, 0, 65_535, "");
    return this;
  }

  public FaultProfile getProfile() {
    return profile;
  }

  /** Fault profile; default {@code healthy}. */
  public SimOptions setProfile(FaultProfile profile) {
    if (profile == null) {
      throw new IllegalArgumentException(
          "SimOptions.profile must be one of: " + FaultProfile.allowedNames());
    }
    this.profile = profile;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  /** Seed of generated text and flaky dice; any value. */
  public SimOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  public long getLatencyMs() {
    return latencyMs;
  }

  /** Base latency per response in milliseconds, 0..3600000; default 0. */
  public SimOptions setLatencyMs(long latencyMs) {
    this.latencyMs = inRange("latencyMs", latencyMs, 0, 3_600_000, " ms");
    return this;
  }

  public int getRequestsPerMinute() {
    return requestsPerMinute;
  }

  /**
   * Requests per key and rate-limit window under {@code ratelimited}, at least 1; default 60. The
   * window is {@link #getRateLimitWindowMs()}, one minute unless changed.
   */
  public SimOptions setRequestsPerMinute(int requestsPerMinute) {
    this.requestsPerMinute =
        (int) inRange("requestsPerMinute", requestsPerMinute, 1, Integer.MAX_VALUE, "");
    return this;
  }

  public long getRateLimitWindowMs() {
    return rateLimitWindowMs;
  }

  /** Length of the rate-limit window in milliseconds, 1..86400000; default 60000. */
  public SimOptions setRateLimitWindowMs(long rateLimitWindowMs) {
    this.rateLimitWindowMs = inRange("rateLimitWindowMs", rateLimitWindowMs, 1, 86_400_000, " ms");
    return this;
  }

  public long getTokensPerMinute() {
    return tokensPerMinute;
  }

  /** Tokens per key and rate-limit window under {@code ratelimited}, at least 1; default 80000. */
  public SimOptions setTokensPerMinute(long tokensPerMinute) {
    this.tokensPerMinute = inRange("tokensPerMinute", tokensPerMinute, 1, Long.MAX_VALUE, "");
    return this;
  }

  public boolean isRequireAuth() {
    return requireAuth;
  }

  /** Whether a key header must be present (any value unless accepted keys are set). */
  public SimOptions setRequireAuth(boolean requireAuth) {
    this.requireAuth = requireAuth;
    return this;
  }

  /** The accepted keys (a copy); empty means any key is accepted. */
  public Set<String> getAcceptedKeys() {
    return new LinkedHashSet<>(acceptedKeys);
  }

  /** When not empty, only these keys pass auth; others get 401 {@code authentication_error}. */
  public SimOptions setAcceptedKeys(Collection<String> acceptedKeys) {
    if (acceptedKeys == null || acceptedKeys.stream().anyMatch(k -> k == null || k.isEmpty())) {
      throw new IllegalArgumentException(
          "SimOptions.acceptedKeys must be a collection of non-empty strings (empty = any key)");
    }
    this.acceptedKeys = new LinkedHashSet<>(acceptedKeys);
    return this;
  }

  /** Adds one accepted key. */
  public SimOptions addAcceptedKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("SimOptions.acceptedKeys entries must be non-empty");
    }
    acceptedKeys.add(key);
    return this;
  }

  public int getMaxTextTokens() {
    return maxTextTokens;
  }

  /** Length of a full generated answer in words (= tokens), 1..10000000; default 256. */
  public SimOptions setMaxTextTokens(int maxTextTokens) {
    this.maxTextTokens = (int) inRange("maxTextTokens", maxTextTokens, 1, 10_000_000, "");
    return this;
  }

  public long getStreamDeltaDelayMs() {
    return streamDeltaDelayMs;
  }

  /** Pause between streamed content deltas in milliseconds, 0..60000; default 0. */
  public SimOptions setStreamDeltaDelayMs(long streamDeltaDelayMs) {
    this.streamDeltaDelayMs = inRange("streamDeltaDelayMs", streamDeltaDelayMs, 0, 60_000, " ms");
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /** Largest accepted request body in bytes, 1..2147483647; default 33554432 (32 MiB). */
  public SimOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = inRange("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE, " bytes");
    return this;
  }

  public int getMaxRecordedRequests() {
    return maxRecordedRequests;
  }

  /** Received requests kept for inspection, 0..1000000; default 1000. */
  public SimOptions setMaxRecordedRequests(int maxRecordedRequests) {
    this.maxRecordedRequests =
        (int) inRange("maxRecordedRequests", maxRecordedRequests, 0, 1_000_000, "");
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimOptions other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "SimOptions" + toJson().encode();
  }

  private static long inRange(String name, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      String range = max == Long.MAX_VALUE ? ">= " + min : "between " + min + " and " + max;
      throw new IllegalArgumentException(
          "SimOptions." + name + " must be " + range + unit + ", got " + value);
    }
    return value;
  }

  private static String string(String key, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw typeError(key, "a string", value);
  }

  private static long number(String key, Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw typeError(key, "an integer", value);
  }

  private static int integer(String key, Object value) {
    long n = number(key, value);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw typeError(key, "a 32-bit integer", value);
    }
    return (int) n;
  }

  private static boolean bool(String key, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw typeError(key, "true or false", value);
  }

  private static Set<String> strings(String key, Object value) {
    if (value instanceof JsonArray array) {
      Set<String> out = new LinkedHashSet<>();
      for (Object item : array) {
        out.add(string(key, item));
      }
      return out;
    }
    throw typeError(key, "an array of strings", value);
  }

  private static IllegalArgumentException typeError(String key, String expected, Object value) {
    return new IllegalArgumentException(
        "simulator option '" + key + "' must be " + expected + ", got " + value);
  }
}
