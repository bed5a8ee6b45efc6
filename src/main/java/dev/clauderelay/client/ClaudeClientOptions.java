package dev.clauderelay.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Options of a {@link ClaudeClient}, in the Vert.x data-object style: fluent setters that check
 * their argument at once, a JSON constructor that refuses unknown keys, {@link #toJson()}.
 */
public final class ClaudeClientOptions {
  /** The Anthropic API. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** Name of the region this client talks to, in logs and errors. */
  public static final String DEFAULT_REGION_NAME = "anthropic";

  /** Sent when the caller gives no {@code anthropic-version}. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  /** Retries after the first attempt (so 4 attempts in all). */
  public static final int DEFAULT_MAX_RETRIES = 3;

  /** First backoff step, milliseconds. */
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 500;

  /** Largest backoff step, milliseconds. */
  public static final long DEFAULT_MAX_BACKOFF_MS = 8_000;

  /** Longest {@code retry-after} the client waits for, milliseconds; above it, it fails fast. */
  public static final long DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

  /** Limit of a whole call, retries and waits included, milliseconds (10 minutes, as the SDKs). */
  public static final long DEFAULT_DEADLINE_MS = 600_000;

  /** TCP + TLS connect limit, milliseconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

  /**
   * From sending to the response headers, milliseconds. A non-streamed message sends its headers
   * only when the generation is done, so this is long by default, like the SDKs' 10 minutes.
   */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 600_000;

  /** Longest silence while reading a response body, milliseconds. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  /** HTTP/1.1 connections per region. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  /** Requests waiting for a pooled connection before new ones are refused. */
  public static final int DEFAULT_MAX_WAIT_QUEUE = 10_000;

  /** Longest upstream silence inside a stream before it counts as stalled, milliseconds. */
  public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 90_000;

  /**
   * Whether {@code ping} events keep a stream alive. True: a stream that only pings is slow, not
   * stalled (the API pings during long thinking). False: only content resets the watchdog.
   */
  public static final boolean DEFAULT_STREAM_PINGS_ARE_ACTIVITY = true;

  /** Failures (5xx, 529, timeouts, connection) that open a region's breaker. */
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 5;

  /** Window the breaker counts failures in, milliseconds. */
  public static final long DEFAULT_BREAKER_WINDOW_MS = 10_000;

  /** Time an open breaker waits before a health probe may close it, milliseconds. */
  public static final long DEFAULT_BREAKER_RESET_TIMEOUT_MS = 30_000;

  /** Time traffic takes to return in full to a region whose breaker closed, milliseconds. */
  public static final long DEFAULT_BREAKER_RAMP_MS = 30_000;

  /**
   * Fixed pacing rate per key, requests per minute; 0 (the embedded default) paces only by the
   * upstream's {@code anthropic-ratelimit-*} headers. The gateway's config file defaults to 60.
   */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 0;

  /** Requests that may wait for a pacing permit per key before new ones are refused. */
  public static final int DEFAULT_MAX_QUEUED = 1_000;

  /** How long a cached answer is fresh, milliseconds (5 minutes). */
  public static final long DEFAULT_CACHE_TTL_MS = 300_000;

  /** Cached answers kept. */
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;

  /** Unfinished pending tasks kept before new ones are refused. */
  public static final int DEFAULT_MAX_PENDING_TASKS = 100_000;

  private static final long DAY_MS = 86_400_000L;

  private String apiKey;
  private String baseUrl = DEFAULT_BASE_URL;
  private String regionName = DEFAULT_REGION_NAME;
  private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private long initialBackoffMs = DEFAULT_INITIAL_BACKOFF_MS;
  private long maxBackoffMs = DEFAULT_MAX_BACKOFF_MS;
  private long maxRetryAfterMs = DEFAULT_MAX_RETRY_AFTER_MS;
  private long deadlineMs = DEFAULT_DEADLINE_MS;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long responseTimeoutMs = DEFAULT_RESPONSE_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxWaitQueue = DEFAULT_MAX_WAIT_QUEUE;
  private long streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  private boolean streamPingsAreActivity = DEFAULT_STREAM_PINGS_ARE_ACTIVITY;
  private boolean streamResume;
  private String proxy;
  private String caFile;
  private final List<RegionOptions> regions = new ArrayList<>();
  private int breakerMaxFailures = DEFAULT_BREAKER_MAX_FAILURES;
  private long breakerWindowMs = DEFAULT_BREAKER_WINDOW_MS;
  private long breakerResetTimeoutMs = DEFAULT_BREAKER_RESET_TIMEOUT_MS;
  private long breakerRampMs = DEFAULT_BREAKER_RAMP_MS;
  private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
  private boolean adaptivePacing = true;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private boolean cacheEnabled;
  private long cacheTtlMs = DEFAULT_CACHE_TTL_MS;
  private int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
  private String localModelBaseUrl;
  private String localModelName;
  private String localModelApiKey;
  private String pendingDir;
  private int maxPendingTasks = DEFAULT_MAX_PENDING_TASKS;

  public ClaudeClientOptions() {}

  public ClaudeClientOptions(ClaudeClientOptions other) {
    this(other.toJson());
  }

  /** Reads the keys of {@link #toJson()}; an unknown key or a wrong type is an error naming it. */
  public ClaudeClientOptions(JsonObject json) {
    Map<String, BiConsumer<ClaudeClientOptions, Object>> setters =
        Map.ofEntries(
            Map.entry("apiKey", (o, v) -> o.setApiKey(str("apiKey", v))),
            Map.entry("baseUrl", (o, v) -> o.setBaseUrl(str("baseUrl", v))),
            Map.entry("regionName", (o, v) -> o.setRegionName(str("regionName", v))),
            Map.entry(
                "anthropicVersion", (o, v) -> o.setAnthropicVersion(str("anthropicVersion", v))),
            Map.entry("maxRetries", (o, v) -> o.setMaxRetries((int) num("maxRetries", v))),
            Map.entry(
                "initialBackoffMs", (o, v) -> o.setInitialBackoffMs(num("initialBackoffMs", v))),
            Map.entry("maxBackoffMs", (o, v) -> o.setMaxBackoffMs(num("maxBackoffMs", v))),
            Map.entry("maxRetryAfterMs", (o, v) -> o.setMaxRetryAfterMs(num("maxRetryAfterMs", v))),
            Map.entry("deadlineMs", (o, v) -> o.setDeadlineMs(num("deadlineMs", v))),
            Map.entry(
                "connectTimeoutMs", (o, v) -> o.setConnectTimeoutMs(num("connectTimeoutMs", v))),
            Map.entry(
                "responseTimeoutMs", (o, v) -> o.setResponseTimeoutMs(num("responseTimeoutMs", v))),
            Map.entry("idleTimeoutMs", (o, v) -> o.setIdleTimeoutMs(num("idleTimeoutMs", v))),
            Map.entry(
                "maxConnections", (o, v) -> o.setMaxConnections((int) num("maxConnections", v))),
            Map.entry("maxWaitQueue", (o, v) -> o.setMaxWaitQueue((int) num("maxWaitQueue", v))),
            Map.entry(
                "streamIdleTimeoutMs",
                (o, v) -> o.setStreamIdleTimeoutMs(num("streamIdleTimeoutMs", v))),
            Map.entry(
                "streamPingsAreActivity",
                (o, v) -> o.setStreamPingsAreActivity(bool("streamPingsAreActivity", v))),
            Map.entry("streamResume", (o, v) -> o.setStreamResume(bool("streamResume", v))),
            Map.entry("proxy", (o, v) -> o.setProxy(str("proxy", v))),
            Map.entry("caFile", (o, v) -> o.setCaFile(str("caFile", v))),
            Map.entry("regions", (o, v) -> regionList(v).forEach(o::addRegion)),
            Map.entry(
                "breakerMaxFailures",
                (o, v) -> o.setBreakerMaxFailures((int) num("breakerMaxFailures", v))),
            Map.entry("breakerWindowMs", (o, v) -> o.setBreakerWindowMs(num("breakerWindowMs", v))),
            Map.entry(
                "breakerResetTimeoutMs",
                (o, v) -> o.setBreakerResetTimeoutMs(num("breakerResetTimeoutMs", v))),
            Map.entry("breakerRampMs", (o, v) -> o.setBreakerRampMs(num("breakerRampMs", v))),
            Map.entry(
                "requestsPerMinute",
                (o, v) -> o.setRequestsPerMinute((int) num("requestsPerMinute", v))),
            Map.entry("adaptivePacing", (o, v) -> o.setAdaptivePacing(bool("adaptivePacing", v))),
            Map.entry("maxQueued", (o, v) -> o.setMaxQueued((int) num("maxQueued", v))),
            Map.entry("cacheEnabled", (o, v) -> o.setCacheEnabled(bool("cacheEnabled", v))),
            Map.entry("cacheTtlMs", (o, v) -> o.setCacheTtlMs(num("cacheTtlMs", v))),
            Map.entry(
                "cacheMaxEntries", (o, v) -> o.setCacheMaxEntries((int) num("cacheMaxEntries", v))),
            Map.entry(
                "localModelBaseUrl", (o, v) -> o.setLocalModelBaseUrl(str("localModelBaseUrl", v))),
            Map.entry("localModelName", (o, v) -> o.setLocalModelName(str("localModelName", v))),
            Map.entry(
                "localModelApiKey", (o, v) -> o.setLocalModelApiKey(str("localModelApiKey", v))),
            Map.entry("pendingDir", (o, v) -> o.setPendingDir(str("pendingDir", v))),
            Map.entry(
                "maxPendingTasks",
                (o, v) -> o.setMaxPendingTasks((int) num("maxPendingTasks", v))));
    for (Map.Entry<String, Object> e : json) {
      BiConsumer<ClaudeClientOptions, Object> setter = setters.get(e.getKey());
      if (setter == null) {
        throw new IllegalArgumentException(
            "unknown option '"
                + e.getKey()
                + "'; known: "
                + new java.util.TreeSet<>(setters.keySet()));
      }
      setter.accept(this, e.getValue());
    }
    if (maxBackoffMs < initialBackoffMs) {
      throw new IllegalArgumentException(
          "maxBackoffMs ("
              + maxBackoffMs
              + ") must be >= initialBackoffMs ("
              + initialBackoffMs
              + ")");
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (apiKey != null) {
      json.put("apiKey", apiKey);
    }
    return json.put("baseUrl", baseUrl)
        .put("regionName", regionName)
        .put("anthropicVersion", anthropicVersion)
        .put("maxRetries", maxRetries)
        .put("initialBackoffMs", initialBackoffMs)
        .put("maxBackoffMs", maxBackoffMs)
        .put("maxRetryAfterMs", maxRetryAfterMs)
        .put("deadlineMs", deadlineMs)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("responseTimeoutMs", responseTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("maxConnections", maxConnections)
        .put("maxWaitQueue", maxWaitQueue)
        .put("streamIdleTimeoutMs", streamIdleTimeoutMs)
        .put("streamPingsAreActivity", streamPingsAreActivity)
        .put("streamResume", streamResume)
        .put("proxy", proxy)
        .put("caFile", caFile)
        .put("regions", regionsJson())
        .put("breakerMaxFailures", breakerMaxFailures)
        .put("breakerWindowMs", breakerWindowMs)
        .put("breakerResetTimeoutMs", breakerResetTimeoutMs)
        .put("breakerRampMs", breakerRampMs)
        .put("requestsPerMinute", requestsPerMinute)
        .put("adaptivePacing", adaptivePacing)
        .put("maxQueued", maxQueued)
        .put("cacheEnabled", cacheEnabled)
        .put("cacheTtlMs", cacheTtlMs)
        .put("cacheMaxEntries", cacheMaxEntries)
        .put("localModelBaseUrl", localModelBaseUrl)
        .put("localModelName", localModelName)
        .put("localModelApiKey", localModelApiKey)
        .put("pendingDir", pendingDir)
        .put("maxPendingTasks", maxPendingTasks);
  }

  /** The JSON with the key replaced by its fingerprint: safe to log. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    if (apiKey != null) {
      json.put("apiKey", dev.clauderelay.api.Secrets.fingerprint(apiKey));
    }
    if (localModelApiKey != null) {
      json.put("localModelApiKey", dev.clauderelay.api.Secrets.fingerprint(localModelApiKey));
    }
    return "ClaudeClientOptions" + json.encode();
  }

  public String getApiKey() {
    return apiKey;
  }

  public ClaudeClientOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /**
   * {@code http(s)://host[:port][/prefix]} without {@code /v1}: paths such as /v1/messages are
   * added.
   */
  public ClaudeClientOptions setBaseUrl(String baseUrl) {
    this.baseUrl = checkBaseUrl(baseUrl);
    return this;
  }

  public String getRegionName() {
    return regionName;
  }

  public ClaudeClientOptions setRegionName(String regionName) {
    if (regionName == null || !regionName.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "regionName must be 1-64 characters of [A-Za-z0-9._-], got '" + regionName + "'");
    }
    this.regionName = regionName;
    return this;
  }

  public String getAnthropicVersion() {
    return anthropicVersion;
  }

  public ClaudeClientOptions setAnthropicVersion(String anthropicVersion) {
    if (anthropicVersion == null || !anthropicVersion.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw new IllegalArgumentException(
          "anthropicVersion must look like 2023-06-01, got '" + anthropicVersion + "'");
    }
    this.anthropicVersion = anthropicVersion;
    return this;
  }

  public int getMaxRetries() {
    return maxRetries;
  }

  public ClaudeClientOptions setMaxRetries(int maxRetries) {
    this.maxRetries = (int) range("maxRetries", maxRetries, 0, 100);
    return this;
  }

  public long getInitialBackoffMs() {
    return initialBackoffMs;
  }

  public ClaudeClientOptions setInitialBackoffMs(long initialBackoffMs) {
    this.initialBackoffMs = range("initialBackoffMs", initialBackoffMs, 0, DAY_MS);
    return this;
  }

  public long getMaxBackoffMs() {
    return maxBackoffMs;
  }

  public ClaudeClientOptions setMaxBackoffMs(long maxBackoffMs) {
    this.maxBackoffMs = range("maxBackoffMs", maxBackoffMs, 0, DAY_MS);
    return this;
  }

  public long getMaxRetryAfterMs() {
    return maxRetryAfterMs;
  }

  public ClaudeClientOptions setMaxRetryAfterMs(long maxRetryAfterMs) {
    this.maxRetryAfterMs = range("maxRetryAfterMs", maxRetryAfterMs, 0, DAY_MS);
    return this;
  }

  public long getDeadlineMs() {
    return deadlineMs;
  }

  public ClaudeClientOptions setDeadlineMs(long deadlineMs) {
    this.deadlineMs = range("deadlineMs", deadlineMs, 1, DAY_MS);
    return this;
  }

  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  public ClaudeClientOptions setConnectTimeoutMs(long connectTimeoutMs) {
    this.connectTimeoutMs = range("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
    return this;
  }

  public long getResponseTimeoutMs() {
    return responseTimeoutMs;
  }

  public ClaudeClientOptions setResponseTimeoutMs(long responseTimeoutMs) {
    this.responseTimeoutMs = range("responseTimeoutMs", responseTimeoutMs, 1, DAY_MS);
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  public ClaudeClientOptions setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = range("idleTimeoutMs", idleTimeoutMs, 1, DAY_MS);
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public ClaudeClientOptions setMaxConnections(int maxConnections) {
    this.maxConnections = (int) range("maxConnections", maxConnections, 1, 100_000);
    return this;
  }

  public int getMaxWaitQueue() {
    return maxWaitQueue;
  }

  public ClaudeClientOptions setMaxWaitQueue(int maxWaitQueue) {
    this.maxWaitQueue = (int) range("maxWaitQueue", maxWaitQueue, 0, 10_000_000);
    return this;
  }

  public long getStreamIdleTimeoutMs() {
    return streamIdleTimeoutMs;
  }

  public ClaudeClientOptions setStreamIdleTimeoutMs(long streamIdleTimeoutMs) {
    this.streamIdleTimeoutMs = range("streamIdleTimeoutMs", streamIdleTimeoutMs, 1, DAY_MS);
    return this;
  }

  public boolean isStreamPingsAreActivity() {
    return streamPingsAreActivity;
  }

  public ClaudeClientOptions setStreamPingsAreActivity(boolean streamPingsAreActivity) {
    this.streamPingsAreActivity = streamPingsAreActivity;
    return this;
  }

  /**
   * Adds a region. With none added, the client has one region made of {@code regionName}, {@code
   * baseUrl} and {@code apiKey}.
   */
  public ClaudeClientOptions addRegion(RegionOptions region) {
    if (regions.stream().anyMatch(r -> r.getName().equals(region.getName()))) {
      throw new IllegalArgumentException("region name '" + region.getName() + "' is used twice");
    }
    regions.add(region);
    return this;
  }

  /** The regions added, or the single default one. */
  public List<RegionOptions> getRegions() {
    if (!regions.isEmpty()) {
      return List.copyOf(regions);
    }
    return List.of(new RegionOptions(regionName, baseUrl).addApiKey(apiKey));
  }

  public int getBreakerMaxFailures() {
    return breakerMaxFailures;
  }

  public ClaudeClientOptions setBreakerMaxFailures(int breakerMaxFailures) {
    this.breakerMaxFailures = (int) range("breakerMaxFailures", breakerMaxFailures, 1, 10_000);
    return this;
  }

  public long getBreakerWindowMs() {
    return breakerWindowMs;
  }

  public ClaudeClientOptions setBreakerWindowMs(long breakerWindowMs) {
    this.breakerWindowMs = range("breakerWindowMs", breakerWindowMs, 1, DAY_MS);
    return this;
  }

  public long getBreakerResetTimeoutMs() {
    return breakerResetTimeoutMs;
  }

  public ClaudeClientOptions setBreakerResetTimeoutMs(long breakerResetTimeoutMs) {
    this.breakerResetTimeoutMs = range("breakerResetTimeoutMs", breakerResetTimeoutMs, 1, DAY_MS);
    return this;
  }

  public long getBreakerRampMs() {
    return breakerRampMs;
  }

  public ClaudeClientOptions setBreakerRampMs(long breakerRampMs) {
    this.breakerRampMs = range("breakerRampMs", breakerRampMs, 0, DAY_MS);
    return this;
  }

  public int getRequestsPerMinute() {
    return requestsPerMinute;
  }

  public ClaudeClientOptions setRequestsPerMinute(int requestsPerMinute) {
    this.requestsPerMinute = (int) range("requestsPerMinute", requestsPerMinute, 0, 1_000_000);
    return this;
  }

  public boolean isAdaptivePacing() {
    return adaptivePacing;
  }

  public ClaudeClientOptions setAdaptivePacing(boolean adaptivePacing) {
    this.adaptivePacing = adaptivePacing;
    return this;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  public ClaudeClientOptions setMaxQueued(int maxQueued) {
    this.maxQueued = (int) range("maxQueued", maxQueued, 0, 10_000_000);
    return this;
  }

  private JsonArray regionsJson() {
    JsonArray array = new JsonArray();
    regions.forEach(r -> array.add(r.toJson()));
    return array;
  }

  private static List<RegionOptions> regionList(Object v) {
    if (!(v instanceof JsonArray array)) {
      throw new IllegalArgumentException("regions must be a list of region objects, got " + v);
    }
    List<RegionOptions> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof JsonObject json)) {
        throw new IllegalArgumentException("regions must be a list of region objects, got " + o);
      }
      out.add(new RegionOptions(json));
    }
    return out;
  }

  static String checkBaseUrl(String baseUrl) {
    if (baseUrl == null || !baseUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
      throw new IllegalArgumentException(
          "baseUrl must be an http:// or https:// URL without spaces, got '" + baseUrl + "'");
    }
    String trimmed = baseUrl.replaceAll("/+$", "");
    if (trimmed.endsWith("/v1")) {
      throw new IllegalArgumentException(
          "baseUrl must not end with /v1 (requests would go to /v1/v1/messages): '"
              + baseUrl
              + "'");
    }
    return trimmed;
  }

  public String getProxy() {
    return proxy;
  }

  /**
   * An HTTP(S) proxy URL such as {@code http://proxy:3128}; null (default) means the standard
   * {@code HTTPS_PROXY} / {@code NO_PROXY} environment variables decide.
   */
  public ClaudeClientOptions setProxy(String proxy) {
    this.proxy = proxy;
    return this;
  }

  public String getCaFile() {
    return caFile;
  }

  /** A PEM file of CAs trusted in addition to the JVM's (a TLS-intercepting proxy's CA). */
  public ClaudeClientOptions setCaFile(String caFile) {
    this.caFile = caFile;
    return this;
  }

  public boolean isStreamResume() {
    return streamResume;
  }

  /**
   * Off by default. On: a stream cut inside a text block is continued by a new request (the partial
   * text as prefill) and spliced, so the consumer sees one stream.
   */
  public ClaudeClientOptions setStreamResume(boolean streamResume) {
    this.streamResume = streamResume;
    return this;
  }

  // ---- degradation chain (docs/degrade.md) ---------------------------------------------------

  public boolean isCacheEnabled() {
    return cacheEnabled;
  }

  /**
   * Off by default for an embedded client (the gateway's config turns it on). On: answers to
   * deterministic requests ({@code temperature: 0}, or {@code x-relay-cache: on}) are kept in
   * memory and served again within {@link #setCacheTtlMs}, and as stale cache when every region
   * fails.
   */
  public ClaudeClientOptions setCacheEnabled(boolean cacheEnabled) {
    this.cacheEnabled = cacheEnabled;
    return this;
  }

  public long getCacheTtlMs() {
    return cacheTtlMs;
  }

  /** How long a cached answer is fresh, milliseconds, 1 ms to 365 days. */
  public ClaudeClientOptions setCacheTtlMs(long cacheTtlMs) {
    this.cacheTtlMs = range("cacheTtlMs", cacheTtlMs, 1, 365 * DAY_MS);
    return this;
  }

  public int getCacheMaxEntries() {
    return cacheMaxEntries;
  }

  /** Cached answers kept (least valuable evicted first), 1 to 100,000,000. */
  public ClaudeClientOptions setCacheMaxEntries(int cacheMaxEntries) {
    this.cacheMaxEntries = (int) range("cacheMaxEntries", cacheMaxEntries, 1, 100_000_000);
    return this;
  }

  public String getLocalModelBaseUrl() {
    return localModelBaseUrl;
  }

  /**
   * An OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp) answering when every region fails,
   * including {@code /v1}, e.g. {@code http://127.0.0.1:11434/v1}; null (default) for none. Needs
   * {@link #setLocalModelName}.
   */
  public ClaudeClientOptions setLocalModelBaseUrl(String localModelBaseUrl) {
    this.localModelBaseUrl = localModelBaseUrl;
    return this;
  }

  public String getLocalModelName() {
    return localModelName;
  }

  /** The model the local endpoint runs, e.g. {@code llama3.1:8b}. */
  public ClaudeClientOptions setLocalModelName(String localModelName) {
    this.localModelName = localModelName;
    return this;
  }

  public String getLocalModelApiKey() {
    return localModelApiKey;
  }

  /** Bearer key of the local endpoint, when it needs one. */
  public ClaudeClientOptions setLocalModelApiKey(String localModelApiKey) {
    this.localModelApiKey = localModelApiKey;
    return this;
  }

  public String getPendingDir() {
    return pendingDir;
  }

  /**
   * Directory of the durable pending-task store; null (the embedded default) never queues. With
   * one, a call that carries an idempotency key ({@link CallOptions#setIdempotencyKey}) and that no
   * region can serve is stored and run when a region recovers.
   */
  public ClaudeClientOptions setPendingDir(String pendingDir) {
    this.pendingDir = pendingDir;
    return this;
  }

  public int getMaxPendingTasks() {
    return maxPendingTasks;
  }

  /** Unfinished tasks kept before new ones are refused (never dropped), 0 to 100,000,000. */
  public ClaudeClientOptions setMaxPendingTasks(int maxPendingTasks) {
    this.maxPendingTasks = (int) range("maxPendingTasks", maxPendingTasks, 0, 100_000_000);
    return this;
  }

  private static boolean bool(String name, Object v) {
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException(name + " must be true or false, got " + v);
    }
    return b;
  }

  private static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  private static String str(String name, Object v) {
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(name + " must be a string, got " + v);
    }
    return (String) v;
  }

  private static long num(String name, Object v) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(name + " must be an integer, got " + v);
    }
    return n.longValue();
  }
}
