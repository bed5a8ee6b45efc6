package dev.clauderelay.region;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One upstream: name, base URL, key pool, circuit breaker, per-key pacers, and what probes and
 * traffic taught about it (state, EWMA latency, last probe).
 *
 * <p>{@link #state()} combines the probe's verdict with the keys: no unrevoked key means {@code
 * AUTH_FAILED} whatever the probe said, and an auth failure is forgotten ({@code UNKNOWN} until the
 * next probe) as soon as the key set changes, so a rotated key file makes the region usable again
 * without a restart.
 *
 * <p>Thread-safe.
 */
public final class Region {
  private final String name;
  private final String baseUrl;
  private final KeyPool keys;
  private final RegionBreaker breaker;
  private final PacingSettings pacing;
  private final LongSupplier clock;
  private final Ewma latency;
  private final Map<String, RatePacer> pacers = new HashMap<>();
  private long pacersGeneration = -1;
  private RegionState probeState = RegionState.UNKNOWN;
  private long authFailedGeneration = -1;
  private ProbeResult lastProbe;

  /**
   * @param ewmaAlpha weight of a new latency sample, in (0, 1]; {@link Ewma#DEFAULT_ALPHA}
   * @param clock epoch milliseconds
   */
  public Region(
      String name,
      String baseUrl,
      KeyPool keys,
      RegionBreaker breaker,
      PacingSettings pacing,
      double ewmaAlpha,
      LongSupplier clock) {
    this.name = name;
    this.baseUrl = baseUrl;
    this.keys = keys;
    this.breaker = breaker;
    this.pacing = pacing;
    this.clock = clock;
    this.latency = new Ewma(ewmaAlpha);
  }

  /** A region with its own breaker and the default EWMA weight. */
  public static Region create(
      Vertx vertx,
      String name,
      String baseUrl,
      KeyPool keys,
      BreakerSettings breaker,
      PacingSettings pacing,
      LongSupplier clock) {
    return new Region(
        name,
        baseUrl,
        keys,
        new RegionBreaker(vertx, name, breaker, clock),
        pacing,
        Ewma.DEFAULT_ALPHA,
        clock);
  }

  public String name() {
    return name;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public KeyPool keys() {
    return keys;
  }

  public RegionBreaker breaker() {
    return breaker;
  }

  public PacingSettings pacing() {
    return pacing;
  }

  // ---- state ----------------------------------------------------------------------------------

  /** The probe's verdict, overridden by the keys (see the class comment). */
  public synchronized RegionState state() {
    if (!keys.hasUnrevoked()) {
      return RegionState.AUTH_FAILED;
    }
    if (probeState == RegionState.AUTH_FAILED && authFailedGeneration != keys.generation()) {
      return RegionState.UNKNOWN;
    }
    return probeState;
  }

  /**
   * Whether the router may send user traffic here at {@code nowMs}: not AUTH_FAILED, breaker
   * CLOSED, and a key neither revoked nor paused.
   */
  public boolean usable(long nowMs) {
    return state() != RegionState.AUTH_FAILED
        && breaker.allowsTraffic()
        && keys.hasAvailable(nowMs);
  }

  /** Every unrevoked key is paused by a 429 at {@code nowMs}. */
  public boolean rateLimited(long nowMs) {
    return keys.allPaused(nowMs);
  }

  /** EWMA of probe and live-traffic latencies, milliseconds; NaN before the first sample. */
  public synchronized double latencyMs() {
    return latency.value();
  }

  /**
   * Adds a latency sample (a probe's HTTP time, or a live attempt's time to response headers). Feed
   * only answers that reflect normal processing: not 5xx/529 errors, which come back fast and would
   * make a failing region look quick.
   */
  public synchronized void recordLatency(long ms) {
    latency.add(ms);
  }

  /** Records a probe's verdict and timings. */
  public synchronized void applyProbe(ProbeResult result) {
    lastProbe = result;
    probeState = result.state();
    if (probeState == RegionState.AUTH_FAILED) {
      authFailedGeneration = keys.generation();
    }
  }

  /** The last probe, or null before the first. */
  public synchronized ProbeResult lastProbe() {
    return lastProbe;
  }

  // ---- keys and pacing ------------------------------------------------------------------------

  /** The pacer of {@code key}; pacers of keys no longer in the pool are dropped. */
  public synchronized RatePacer pacer(ApiKey key) {
    long generation = keys.generation();
    if (generation != pacersGeneration) {
      pacersGeneration = generation;
      pacers
          .keySet()
          .removeIf(secret -> keys.keys().stream().noneMatch(k -> k.secret().equals(secret)));
    }
    return pacers.computeIfAbsent(
        key.secret(),
        s ->
            new RatePacer(
                "region " + name + ", key " + key.fingerprint(),
                pacing.newBucket(),
                pacing.maxQueued(),
                clock));
  }

  /**
   * A 429 on {@code key}: the key leaves the rotation and its pacer stops until the reset the
   * response names (see {@link RateLimitHeaders#pauseUntil}). The breaker is not touched.
   *
   * @param headers the 429's headers, names in lower case
   * @return the epoch ms until which the key is paused
   */
  public long onRateLimited(ApiKey key, Map<String, String> headers, long nowMs) {
    long until = RateLimitHeaders.parse(headers, nowMs).pauseUntil(nowMs);
    keys.pauseUntil(key, until);
    pacer(key).pauseUntil(until);
    return until;
  }

  /** A 401 on {@code key}: revoked (logged by fingerprint, counted). */
  public void onUnauthorized(ApiKey key) {
    keys.revoke(key);
  }

  // ---- status ---------------------------------------------------------------------------------

  /** For {@code /status}: no key, no credentials of the URL. */
  public JsonObject snapshot(long nowMs) {
    double ms = latencyMs();
    ProbeResult probe = lastProbe();
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("baseUrl", redact(baseUrl))
            .put("state", state().name())
            .put("breaker", breaker.state().name())
            .put("latencyMs", Double.isNaN(ms) ? null : Math.round(ms * 10) / 10.0)
            .put("usable", usable(nowMs))
            .put("rateLimited", rateLimited(nowMs))
            .put("rampWeight", breaker.rampWeight(nowMs))
            .put("breakerFailures", breaker.failureCount())
            .put("keys", keys.toSafeJson(nowMs))
            .put("keysRevoked", keys.revocationCount());
    if (probe != null) {
      json.put("lastProbe", probe.toJson());
    }
    return json;
  }

  @Override
  public String toString() {
    return "Region{" + name + ", " + redact(baseUrl) + "}";
  }

  /** Scheme, host, port and path only: user info and query could hold credentials. */
  static String redact(String url) {
    try {
      URI u = URI.create(url);
      if (u.getHost() == null) {
        return "(unparsable URL)";
      }
      return u.getScheme()
          + "://"
          + u.getHost()
          + (u.getPort() >= 0 ? ":" + u.getPort() : "")
          + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (IllegalArgumentException e) {
      return "(unparsable URL)";
    }
  }
}
