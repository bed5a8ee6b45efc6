package dev.clauderelay.doctor;

import dev.clauderelay.api.Secrets;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.transport.CaBundle;
import dev.clauderelay.transport.Endpoint;
import dev.clauderelay.transport.NetworkSettings;
import dev.clauderelay.transport.ProxyChoice;
import dev.clauderelay.transport.ProxySettings;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import dev.clauderelay.transport.probe.ChainRecorder;
import dev.clauderelay.transport.probe.ConnectFailure;
import dev.clauderelay.transport.probe.HostResolver;
import dev.clauderelay.transport.probe.TlsDetails;
import dev.clauderelay.transport.probe.TlsFailure;
import dev.clauderelay.transport.probe.TlsProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The checks of one region, run in order on one Vert.x context; the first failure stops the chain
 * and the remaining checks are reported as skipped. Single use.
 */
final class RegionDiagnosis {
  static final String PROBE_PATH = "/v1/models?limit=1";

  /** A certificate ending sooner than this is a warning. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(14);

  /** An answer slower than this is a warning. */
  static final long SLOW_MS = 5_000;

  private final Vertx vertx;
  private final RelayConfig config;
  private final RegionConfig region;
  private final DoctorOptions options;
  private final Redactor redactor;
  private final long timeoutMs;

  private CheckId failed;
  private String key;
  private Endpoint endpoint;
  private NetworkSettings network;
  private ProxyChoice choice;
  private CaBundle caBundle;
  private List<InetAddress> addresses;
  private NetClient net;
  private NetSocket socket;
  private RegionTransport transport;
  private UpstreamResponse response;
  private long dnsMs = -1;
  private long tcpMs = -1;
  private long tlsMs = -1;
  private long httpMs = -1;
  private long sentAtMs;
  private long receivedAtMs;

  private record Step(CheckId id, Supplier<Future<CheckResult>> run) {}

  RegionDiagnosis(
      Vertx vertx,
      RelayConfig config,
      RegionConfig region,
      DoctorOptions options,
      Redactor redactor) {
    this.vertx = vertx;
    this.config = config;
    this.region = region;
    this.options = options;
    this.redactor = redactor;
    this.timeoutMs = options.timeoutMs();
  }

  /** Runs every check; never fails. Call on a Vert.x context. */
  Future<RegionReport> run() {
    List<Step> steps =
        List.of(
            new Step(CheckId.API_KEY, this::apiKey),
            new Step(CheckId.BASE_URL, this::baseUrl),
            new Step(
                CheckId.ANTHROPIC_VERSION,
                () -> now(VersionCheck.check(RegionTransport.DEFAULT_ANTHROPIC_VERSION))),
            new Step(CheckId.PROXY, this::proxy),
            new Step(CheckId.CA_BUNDLE, this::caBundle),
            new Step(CheckId.DNS, this::dns),
            new Step(CheckId.TCP, this::tcp),
            new Step(CheckId.TLS, this::tls),
            new Step(CheckId.HTTP, this::http),
            new Step(
                CheckId.RATE_LIMIT,
                () -> now(RateLimitHeadroom.check(response.headerMap(), receivedAtMs))),
            new Step(
                CheckId.CLOCK,
                () -> now(ClockSkew.check(response.headers().get("date"), sentAtMs, receivedAtMs))),
            new Step(CheckId.LATENCY, this::latency));
    List<CheckResult> results = new java.util.ArrayList<>();
    return next(steps.iterator(), results)
        .eventually(this::cleanup)
        .map(
            v ->
                new RegionReport(
                    region.name(),
                    region.toSafeJson().getString("baseUrl"),
                    results.stream().map(r -> r.redacted(redactor)).toList()));
  }

  private Future<Void> next(Iterator<Step> steps, List<CheckResult> results) {
    if (!steps.hasNext()) {
      return Future.succeededFuture();
    }
    Step step = steps.next();
    if (failed != null) {
      results.add(CheckResult.skip(step.id(), "skipped: " + failed.title() + " failed"));
      return next(steps, results);
    }
    Future<CheckResult> outcome;
    try {
      outcome = step.run().get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome
        .recover(e -> now(internalError(step.id(), e)))
        .compose(
            result -> {
              results.add(result);
              if (result.failed()) {
                failed = result.id();
              }
              return next(steps, results);
            });
  }

  // ---- configuration ------------------------------------------------------------------------

  private Future<CheckResult> apiKey() {
    int poolSize = region.apiKeys().size() + region.apiKeyFiles().size();
    String host = hostOrNull();
    if (!region.apiKeys().isEmpty()) {
      key = region.apiKeys().get(0).strip();
      boolean fromVariable =
          config.regions().get(0) == region
              && region.apiKeys().get(0).equals(options.env().get("ANTHROPIC_API_KEY"));
      String origin = fromVariable ? "ANTHROPIC_API_KEY" : "apiKeys[0]";
      return now(ApiKeyCheck.check(key, origin, poolSize, host));
    }
    if (region.apiKeyFiles().isEmpty()) {
      return now(ApiKeyCheck.check(null, null, 0, host));
    }
    Path file = region.apiKeyFiles().get(0);
    return vertx
        .fileSystem()
        .readFile(file.toString())
        .map(
            content -> {
              key = content.toString(StandardCharsets.UTF_8).strip();
              redactor.add(key);
              return ApiKeyCheck.check(key, "apiKeyFiles[0] " + file, poolSize, host);
            })
        .otherwise(
            e ->
                CheckResult.fail(
                    CheckId.API_KEY,
                    "key file " + file + " cannot be read",
                    NetworkAdvice.describe(e),
                    "create the file with the key as its only content, readable by this user"
                        + " (relative paths are relative to the working directory "
                        + Path.of("").toAbsolutePath()
                        + ")"));
  }

  private Future<CheckResult> baseUrl() {
    CheckResult result = BaseUrlCheck.check(region.baseUrl());
    if (!result.failed()) {
      endpoint = Endpoint.of(region.baseUrl());
    }
    return now(result);
  }

  private String hostOrNull() {
    try {
      return Endpoint.of(region.baseUrl()).host();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---- environment --------------------------------------------------------------------------

  private Future<CheckResult> proxy() {
    ProxySettings settings = ProxySettings.of(config.proxy(), options.env());
    network = new NetworkSettings(settings, null);
    choice = network.proxyFor(endpoint);
    return now(ProxyCheck.check(settings, choice, endpoint));
  }

  private Future<CheckResult> caBundle() {
    Path caFile = config.tls().caFile();
    Instant now = options.clock().instant();
    if (caFile == null) {
      return now(CaBundleCheck.check(null, null, null, now));
    }
    // Reading the file blocks: on a worker thread.
    return vertx
        .executeBlocking(() -> CaBundle.read(caFile), false)
        .map(
            bundle -> {
              caBundle = bundle;
              network = new NetworkSettings(network.proxy(), bundle);
              return CaBundleCheck.check(caFile, bundle, null, now);
            })
        .otherwise(e -> CaBundleCheck.check(caFile, null, e.getMessage(), now));
  }

  // ---- network layers -----------------------------------------------------------------------

  private boolean viaProxy() {
    return choice.proxy() != null;
  }

  private Future<CheckResult> dns() {
    String host = viaProxy() ? choice.proxy().host() : endpoint.host();
    long start = System.nanoTime();
    return Limits.within(vertx, timeoutMs, HostResolver.resolve(vertx, host), null)
        .map(
            found -> {
              addresses = found;
              boolean literal = HostResolver.isLiteral(host);
              dnsMs = literal ? -1 : millisSince(start);
              List<String> shown = found.stream().map(InetAddress::getHostAddress).toList();
              String what =
                  (viaProxy() ? "proxy host " : "")
                      + (literal
                          ? host + " is an IP address: no lookup"
                          : host + " → " + String.join(", ", shown) + " (" + dnsMs + " ms)");
              String proxyNote =
                  viaProxy() ? "; the proxy resolves " + endpoint.host() + " itself" : "";
              return CheckResult.pass(CheckId.DNS, what + proxyNote)
                  .with("host", host)
                  .with("addresses", new JsonArray(shown))
                  .with("ms", dnsMs < 0 ? null : dnsMs);
            })
        .otherwise(e -> NetworkAdvice.dnsFailed(host, viaProxy() ? choice : null, e, timeoutMs));
  }

  private Future<CheckResult> tcp() {
    NetClientOptions netOptions =
        new NetClientOptions()
            .setConnectTimeout((int) timeoutMs)
            .setSslHandshakeTimeout(timeoutMs)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    String dialled;
    Future<NetSocket> connecting;
    boolean tunnel = viaProxy() && endpoint.https();
    if (tunnel) {
      ProxyOptions proxy =
          choice.proxy().toProxyOptions().setConnectTimeout(Duration.ofMillis(timeoutMs));
      net = vertx.createNetClient(netOptions.setProxyOptions(proxy));
      dialled = endpoint.authority();
      connecting = net.connect(endpoint.port(), endpoint.host());
    } else {
      net = vertx.createNetClient(netOptions);
      String ip = addresses.get(0).getHostAddress();
      int port = viaProxy() ? choice.proxy().port() : endpoint.port();
      dialled = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
      connecting = net.connect(port, ip);
    }
    long start = System.nanoTime();
    return Limits.within(vertx, timeoutMs, connecting, NetSocket::close)
        .map(
            s -> {
              socket = s;
              tcpMs = millisSince(start);
              String what =
                  tunnel
                      ? "tunnel to " + dialled + " through " + choice.proxy() + " opened"
                      : viaProxy()
                          ? "connected to the proxy " + dialled + " (plain http goes through it)"
                          : "connected to " + dialled;
              return CheckResult.pass(CheckId.TCP, what + " in " + tcpMs + " ms")
                  .with("target", dialled)
                  .with("ms", tcpMs);
            })
        .otherwise(
            e ->
                NetworkAdvice.tcpFailed(
                        ConnectFailure.classify(e),
                        dialled,
                        viaProxy() ? choice : null,
                        e,
                        timeoutMs)
                    .with("target", dialled));
  }

  private Future<CheckResult> tls() {
    if (!endpoint.https()) {
      return now(CheckResult.skip(CheckId.TLS, "not used (plain http)"));
    }
    ChainRecorder recorder =
        TlsProbe.recorder(caBundle == null ? null : caBundle.trustManagerFactory());
    long start = System.nanoTime();
    NetSocket s = socket;
    return Limits.within(
            vertx, timeoutMs, s.upgradeToSsl(TlsProbe.recording(recorder), endpoint.host()), null)
        .map(v -> tlsPassed(TlsDetails.of(s.sslSession()), millisSince(start)))
        .otherwise(
            e ->
                NetworkAdvice.tlsFailed(
                    TlsFailure.classify(e),
                    endpoint.host(),
                    TlsDetails.of(null, null, recorder.presented()),
                    caBundle != null,
                    e,
                    timeoutMs));
  }

  private CheckResult tlsPassed(TlsDetails details, long ms) {
    tlsMs = ms;
    Instant now = options.clock().instant();
    String text =
        details.protocol()
            + ", certificate "
            + details.subject()
            + " issued by "
            + details.issuer()
            + ", valid until "
            + details.notAfter()
            + ", host name "
            + endpoint.host()
            + " matches ("
            + ms
            + " ms)";
    CheckResult result =
        details.notAfter() != null && details.notAfter().isBefore(now.plus(EXPIRY_WARNING))
            ? CheckResult.warn(
                CheckId.TLS,
                text,
                "the certificate expires within " + EXPIRY_WARNING.toDays() + " days",
                "tell the server's operator (or, for an intercepting proxy, your network"
                    + " administrators)")
            : CheckResult.pass(CheckId.TLS, text);
    return result
        .with("protocol", details.protocol())
        .with("cipherSuite", details.cipherSuite())
        .with("subject", details.subject())
        .with("issuer", details.issuer())
        .with("notAfter", details.notAfter() == null ? null : details.notAfter().toString())
        .with("names", new JsonArray(details.names()))
        .with("ms", ms);
  }

  private Future<CheckResult> http() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
    String url = region.baseUrl() + PROBE_PATH;
    transport =
        new RegionTransport(
            vertx,
            new TransportOptions(
                region.baseUrl(),
                timeoutMs,
                timeoutMs,
                timeoutMs,
                1,
                1,
                RegionTransport.DEFAULT_ANTHROPIC_VERSION),
            network);
    sentAtMs = options.clock().millis();
    long start = System.nanoTime();
    return transport
        .send(UpstreamRequest.get(PROBE_PATH, Map.of()), key, timeoutMs)
        .response()
        .map(
            resp -> {
              httpMs = millisSince(start);
              receivedAtMs = options.clock().millis();
              response = resp;
              return HttpDiagnosis.of(resp, url, Secrets.fingerprint(key), receivedAtMs)
                  .with("ms", httpMs);
            })
        .otherwise(e -> HttpDiagnosis.failed(e, url, timeoutMs));
  }

  private Future<CheckResult> latency() {
    StringBuilder text = new StringBuilder();
    append(text, "DNS", dnsMs);
    append(text, "TCP", tcpMs);
    append(text, "TLS", tlsMs);
    append(text, "HTTP", httpMs);
    text.append(" (the HTTP request opens its own connection)");
    CheckResult result =
        httpMs > SLOW_MS
            ? CheckResult.warn(
                CheckId.LATENCY,
                text.toString(),
                "listing models took over " + SLOW_MS / 1000 + " s: a slow link or proxy",
                "raise transport.connectTimeoutMs and health.timeoutMs if this is normal here")
            : CheckResult.pass(CheckId.LATENCY, text.toString());
    return now(
        result
            .with("dnsMs", dnsMs < 0 ? null : dnsMs)
            .with("tcpMs", tcpMs < 0 ? null : tcpMs)
            .with("tlsMs", tlsMs < 0 ? null : tlsMs)
            .with("httpMs", httpMs));
  }

  private static void append(StringBuilder text, String layer, long ms) {
    if (ms < 0) {
      return;
    }
    if (text.length() > 0) {
      text.append(", ");
    }
    text.append(layer).append(' ').append(ms).append(" ms");
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private Future<Void> cleanup() {
    if (socket != null) {
      socket.close();
    }
    Future<Void> netClosed = net == null ? Future.succeededFuture() : net.close();
    Future<Void> transportClosed = transport == null ? Future.succeededFuture() : transport.close();
    return Future.join(netClosed, transportClosed).<Void>mapEmpty().otherwiseEmpty();
  }

  private static CheckResult internalError(CheckId id, Throwable e) {
    return CheckResult.fail(
        id,
        "the check itself failed",
        NetworkAdvice.describe(e),
        "please report this with the output of doctor --json");
  }

  private static Future<CheckResult> now(CheckResult result) {
    return Future.succeededFuture(result);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
