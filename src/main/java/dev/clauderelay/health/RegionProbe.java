package dev.clauderelay.health;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.region.ApiKey;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.transport.Endpoint;
import dev.clauderelay.transport.InFlight;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.probe.HostResolver;
import dev.clauderelay.transport.probe.TlsProbe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One probe of one region, layer by layer: DNS resolution, TCP connect, TLS handshake (https only),
 * then {@code GET /v1/models?limit=1} with a key of the region through its {@link RegionTransport}
 * (the path user traffic takes). Listing models costs no tokens; this class never sends anything
 * else.
 *
 * <p>The whole probe is bounded by one timer; when it fires, the layer in progress is reported as
 * failed and whatever is open is closed or cancelled.
 *
 * <p>DNS, TCP and TLS are the shared layers of {@code transport.probe} ({@link HostResolver}: the
 * JVM resolver on a worker thread, {@code .invalid} failing without a lookup), the same ones {@code
 * doctor} checks in detail.
 */
final class RegionProbe {
  static final String PROBE_PATH = "/v1/models?limit=1";

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
    Endpoint endpoint;
    try {
      endpoint = Endpoint.of(region.baseUrl());
    } catch (IllegalArgumentException e) {
      vertx.cancelTimer(timer);
      return Future.succeededFuture(run.failed("unparsable base URL"));
    }
    boolean https = endpoint.https();
    String host = endpoint.host();
    int port = endpoint.port();

    // Through a proxy, this machine's own DNS, TCP and TLS to the host are not the path traffic
    // takes (and are often blocked where a proxy is required): only the HTTP layer is probed.
    Future<Void> layers =
        transport.proxy().direct()
            ? connectLayers(run, done.future(), host, port, https)
            : Future.succeededFuture();
    layers
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
                  transport
                      .probes()
                      .send(UpstreamRequest.get(PROBE_PATH, Map.of()), run.key.secret(), left);
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

  /** DNS, TCP and TLS (https only), each timed into {@code run}; the socket is closed after. */
  private Future<Void> connectLayers(
      Run run, Future<Observation> done, String host, int port, boolean https) {
    long t0 = System.nanoTime();
    return HostResolver.resolve(vertx, host)
        .map(addresses -> addresses.get(0))
        .compose(
            ip -> {
              if (done.isComplete()) {
                return Future.failedFuture("timed out");
              }
              run.dnsMs = HostResolver.isLiteral(host) ? -1 : millisSince(t0);
              run.layer = ProbeResult.Layer.TCP;
              long t1 = System.nanoTime();
              // Connected under the host's name: the TLS layer checks the certificate against it.
              return net.connect(HostResolver.socketAddress(host, ip, port))
                  .map(
                      socket -> {
                        run.socket = socket;
                        run.tcpMs = millisSince(t1);
                        return socket;
                      });
            })
        .compose(
            socket -> {
              if (!https || done.isComplete()) {
                return Future.succeededFuture(socket);
              }
              run.layer = ProbeResult.Layer.TLS;
              long t2 = System.nanoTime();
              return socket
                  .upgradeToSsl(TlsProbe.verifying(tls), host)
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
            });
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

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
