package dev.clauderelay.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of the relay, one record per section of {@code conf/config.yaml}. Build
 * it with {@link ConfigLoader}, which reports every problem at once; the constructors here also
 * check their values, so an invalid configuration cannot be built in code either.
 *
 * @param gateway the HTTP gateway
 * @param regions upstreams, at least one, in order of preference when latencies tie; the first is
 *     the default region, the one {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL} apply to
 * @param retry retry and deadline policy
 * @param breaker per-region circuit breaker
 * @param health health probes
 * @param rateLimit client-side pacing
 * @param stream streamed responses
 * @param cache response cache
 * @param degrade what happens when every region fails
 * @param tls extra trusted CAs
 * @param proxy outbound proxy URL ({@code http://}, {@code socks4://} or {@code socks5://}), or
 *     null for none. May hold a password: shown redacted.
 * @param transport HTTP client limits per region (an addition to DESIGN.md's block)
 */
public record RelayConfig(
    GatewayConfig gateway,
    List<RegionConfig> regions,
    RetryConfig retry,
    BreakerConfig breaker,
    HealthConfig health,
    RateLimitConfig rateLimit,
    StreamConfig stream,
    CacheConfig cache,
    DegradeConfig degrade,
    TlsConfig tls,
    String proxy,
    TransportConfig transport) {

  public RelayConfig {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(degrade, "degrade");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(transport, "transport");
    regions = List.copyOf(regions);
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("regions must list at least one region");
    }
    Set<String> names = new HashSet<>();
    for (RegionConfig region : regions) {
      if (!names.add(region.name())) {
        throw new IllegalArgumentException("region names must be unique: " + region.name());
      }
    }
    if (proxy != null && Urls.proxyProblem(proxy) != null) {
      throw new IllegalArgumentException("proxy " + Urls.proxyProblem(proxy));
    }
  }

  /** Every default of DESIGN.md, with the one region {@code anthropic} and no key. */
  public static RelayConfig defaults() {
    return new RelayConfig(
        GatewayConfig.defaults(),
        List.of(RegionConfig.defaultRegion()),
        RetryConfig.defaults(),
        BreakerConfig.defaults(),
        HealthConfig.defaults(),
        RateLimitConfig.defaults(),
        StreamConfig.defaults(),
        CacheConfig.defaults(),
        DegradeConfig.defaults(),
        TlsConfig.defaults(),
        null,
        TransportConfig.defaults());
  }

  /** The first region: the one the {@code ANTHROPIC_*} variables apply to. */
  public RegionConfig defaultRegion() {
    return regions.get(0);
  }

  /** Reads every section in file order, which is also the order problems are reported in. */
  static RelayConfig read(Section root) {
    GatewayConfig gateway = GatewayConfig.read(root.section("gateway"));
    List<RegionConfig> regions = Regions.read(root, gateway);
    RetryConfig retry = RetryConfig.read(root.section("retry"));
    BreakerConfig breaker = BreakerConfig.read(root.section("breaker"));
    HealthConfig health = HealthConfig.read(root.section("health"));
    RateLimitConfig rateLimit = RateLimitConfig.read(root.section("rateLimit"));
    StreamConfig stream = StreamConfig.read(root.section("stream"));
    CacheConfig cache = CacheConfig.read(root.section("cache"));
    DegradeConfig degrade = DegradeConfig.read(root.section("degrade"));
    TlsConfig tls = TlsConfig.read(root.section("tls"));
    String proxy = root.text("proxy", null, Urls::proxyProblem);
    TransportConfig transport = TransportConfig.read(root.section("transport"));
    if (root.context().hasProblems()) {
      // Some values are stand-in defaults now; building records from them proves nothing.
      return null;
    }
    return new RelayConfig(
        gateway, regions, retry, breaker, health, rateLimit, stream, cache, degrade, tls, proxy,
        transport);
  }

  /**
   * The configuration as JSON with the keys of the YAML file, secrets as fingerprints and URL
   * passwords masked: for {@code /status}, logs and doctor output.
   */
  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("gateway", gateway.toSafeJson())
        .put("regions", new JsonArray(regions.stream().map(RegionConfig::toSafeJson).toList()))
        .put("retry", retry.toSafeJson())
        .put("breaker", breaker.toSafeJson())
        .put("health", health.toSafeJson())
        .put("rateLimit", rateLimit.toSafeJson())
        .put("stream", stream.toSafeJson())
        .put("cache", cache.toSafeJson())
        .put("degrade", degrade.toSafeJson())
        .put("tls", tls.toSafeJson())
        .put("proxy", Urls.redact(proxy))
        .put("transport", transport.toSafeJson());
  }

  @Override
  public String toString() {
    return "RelayConfig" + toSafeJson().encode();
  }
}
