package dev.clauderelay.health;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.region.ApiKey;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.transport.InFlight;
import dev.clauderelay.transport.RegionTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * One probe of one region, layer by layer: DNS resolution, TCP connect, TLS handshake (https only),
 * then {@code GET /v1/models?limit=1} with a key of the region through its {@link RegionTransport}
 * (the path user traffic takes). Listing models costs no tokens; this class never sends anything
 * else.
 *
 * <p>The whole probe is bounded by one timer; when it fires, the layer in progress is reported as
 * failed and whatever is open is closed or cancelled.
 *
 * <p>DNS goes through the JVM resolver on a worker thread (never on the event loop); names under
 * {@code .invalid} fail at once without a lookup, as RFC 6761 asks of resolvers, so that tests and
 * misconfigurations get a deterministic DNS failure.
 */
final class RegionProbe {
  static final String PROBE_PATH = "/v1/models?limit=1";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Vertx vertx;
  private final NetClient net;
  private final ClientSSLOptions tls;
  private final LongSupplier clock;

  /** What a probe observed, before the verdict. */
  record Observation(
      long atMs,
      ProbeResult.Layer failedLayer,
      long dnsMs,
      long tcpMs,
      long tlsMs,
      long httpMs,
      long totalMs,
      int status,
      String error,
      String requestId,
      ApiKey key,
      Map<String, String> headers) {

    ProbeResult result(RegionState verdict) {
      return new ProbeResult(
          atMs,
          verdict,
          failedLayer,
          dnsMs,
          tcpMs,
          tlsMs,
          httpMs,
          totalMs,
          status,
          error,
          requestId,
          key == null ? null : key.fingerprint());
    }
  }

  /** Mutable state of one probe; confined to the verticle's context. */
  private static final class Run {
    final long atMs;
    final long startNanos = System.nanoTime();
    ProbeResult.Layer layer = ProbeResult.Layer.DNS;
    long dnsMs = -1;
    long tcpMs = -1;
    long tlsMs = -1;
    long httpMs = -1;
    NetSocket socket;
    InFlight inFlight;
    ApiKey key;

    Run(long atMs) {
      this.atMs = atMs;
    }

    long elapsedMs() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    Observation failed(String error) {
      return new Observation(
          atMs, layer, dnsMs, tcpMs, tlsMs, httpMs, elapsedMs(), 0, error, null, key, Map.of());
    }

    Observation answered(UpstreamResponse resp) {
      return new Observation(
          atMs,
          null,
          dnsMs,
          tcpMs,
          tlsMs,
          httpMs,
          elapsedMs(),
          resp.status(),
          resp.isSuccess() ? null : describe(resp),
          resp.requestId(),
          key,
          resp.headerMap());
    }
  }

  RegionProbe(Vertx vertx, NetClient net, ClientSSLOptions tls, LongSupplier clock) {
    this.vertx = vertx;
    this.net = net;
    this.tls = tls;
    this.clock = clock;
  }

  /** Probes {@code region}; never fails (a failure is an observation). Call on a Vert.x context. */
  Future<Observation> probe(Region region, RegionTransport transport, long timeoutMs) {
    Run run = new Run(clock.getAsLong());
    Promise<Observation> done = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (done.tryComplete(
                  run.failed(
                      "no answer within "
                          + timeoutMs
                          + " ms (health.timeoutMs) during "
                          + run.layer))) {
                cleanup(run);
              }
            });
    URI uri;
    try {
      uri = URI.create(region.baseUrl());
    } catch (IllegalArgumentException e) {
      vertx.cancelTimer(timer);
      return Future.succeededFuture(run.failed("unparsable base URL"));
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String host = stripBrackets(uri.getHost());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;

    long t0 = System.nanoTime();
    resolve(host)
        .compose(
            ip -> {
              if (done.future().isComplete()) {
                return Future.failedFuture("timed out");
              }
              run.dnsMs = isLiteral(host) ? -1 : millisSince(t0);
              run.layer = ProbeResult.Layer.TCP;
              long t1 = System.nanoTime();
              return net.connect(port, ip)
                  .map(
                      socket -> {
                        run.socket = socket;
                        run.tcpMs = millisSince(t1);
                        return socket;
                      });
            })
        .compose(
            socket -> {
              if (!https || done.future().isComplete()) {
                return Future.succeededFuture(socket);
              }
              run.layer = ProbeResult.Layer.TLS;
              long t2 = System.nanoTime();
              return socket
                  .upgradeToSsl(tlsOptions(), host)
                  .map(
                      v -> {
                        run.tlsMs = millisSince(t2);
                        return socket;
                      });
            })
        .compose(
            socket -> {
              run.socket = null;
              return socket.close().otherwiseEmpty();
            })
        .compose(
            v -> {
              if (done.future().isComplete()) {
                return Future.failedFuture("timed out");
              }
              run.layer = ProbeResult.Layer.HTTP;
              run.key = region.keys().probeKey().orElse(null);
              if (run.key == null) {
                return Future.succeededFuture(run.failed("no API key configured"));
              }
              long left = Math.max(1, timeoutMs - run.elapsedMs());
              long t3 = System.nanoTime();
              run.inFlight =
                  transport.send(UpstreamRequest.get(PROBE_PATH, Map.of()), run.key.secret(), left);
              return run.inFlight
                  .response()
                  .map(
                      resp -> {
                        run.httpMs = millisSince(t3);
                        return run.answered(resp);
                      });
            })
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              Observation obs =
                  ar.succeeded() ? ar.result() : run.failed(describe(run.layer, ar.cause()));
              if (done.tryComplete(obs)) {
                cleanup(run);
              }
            });
    return done.future();
  }

  private Future<String> resolve(String host) {
    if (host == null || host.isEmpty()) {
      return Future.failedFuture(new UnknownHostException("no host in the base URL"));
    }
    if (isLiteral(host)) {
      return Future.succeededFuture(host);
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.equals("invalid") || lower.endsWith(".invalid")) {
      return Future.failedFuture(
          new UnknownHostException(host + ": reserved name that never resolves (RFC 6761)"));
    }
    // The JVM resolver blocks: on a worker thread, never the event loop.
    return vertx.executeBlocking(() -> InetAddress.getByName(host).getHostAddress(), false);
  }

  private ClientSSLOptions tlsOptions() {
    ClientSSLOptions options = tls == null ? new ClientSSLOptions() : new ClientSSLOptions(tls);
    String algorithm = options.getHostnameVerificationAlgorithm();
    if (algorithm == null || algorithm.isEmpty()) {
      options.setHostnameVerificationAlgorithm("HTTPS");
    }
    return options;
  }

  private static void cleanup(Run run) {
    NetSocket socket = run.socket;
    if (socket != null) {
      socket.close();
    }
    InFlight inFlight = run.inFlight;
    if (inFlight != null) {
      inFlight.cancel().run();
    }
  }

  private static String describe(ProbeResult.Layer layer, Throwable failure) {
    String what =
        switch (layer) {
          case DNS -> "DNS resolution failed";
          case TCP -> "TCP connect failed";
          case TLS -> "TLS handshake failed";
          case HTTP -> "GET /v1/models failed";
        };
    String message = failure.getMessage();
    return what
        + ": "
        + failure.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static String describe(UpstreamResponse resp) {
    String body = resp.body() == null ? "" : resp.body().toString().strip();
    if (body.length() > 300) {
      body = body.substring(0, 300) + "…";
    }
    return "HTTP " + resp.status() + (body.isEmpty() ? "" : ": " + body);
  }

  private static boolean isLiteral(String host) {
    return host != null && (IPV4.matcher(host).matches() || host.indexOf(':') >= 0);
  }

  private static String stripBrackets(String host) {
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
