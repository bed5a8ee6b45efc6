package dev.clauderelay.transport;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.transport.sse.SseStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP client of one region. One Vert.x {@code HttpClient} per region, kept for the life of the
 * relay, with every limit explicit: connect timeout, time to response headers, body idle timeout,
 * TCP keep-alive, no redirects, a bounded pool wait queue.
 *
 * <p>Must be called on a Vert.x context: timers and response callbacks then run on that context.
 */
public final class RegionTransport {
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
  private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("claude-relay/0.1");
  private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
  private static final CharSequence ANTHROPIC_VERSION =
      HttpHeaders.createOptimized("anthropic-version");
  private static final CharSequence ANTHROPIC_BETA = HttpHeaders.createOptimized("anthropic-beta");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

  private final Vertx vertx;
  private final TransportOptions options;
  private final HttpClientAgent client;
  private final ProxyChoice proxy;
  private final NetworkSettings network;
  private RegionTransport probes;

  /**
   * The base URL taken apart once ({@link RequestOptions#setAbsoluteURI} would parse it again for
   * every request): null when it has a query or fragment, which only the full parse handles.
   */
  private final Server server;

  private record Server(String host, int port, boolean ssl, String basePath) {
    static Server of(String baseUrl) {
      URL url;
      try {
        url = URI.create(baseUrl).toURL();
      } catch (IllegalArgumentException | MalformedURLException e) {
        return null;
      }
      boolean ssl = url.getProtocol().equals("https");
      if (url.getQuery() != null
          || url.getRef() != null
          || !(ssl || url.getProtocol().equals("http"))) {
        return null;
      }
      int port = url.getPort() == -1 ? (ssl ? 443 : 80) : url.getPort();
      return new Server(url.getHost(), port, ssl, url.getPath());
    }
  }

  /** Direct connections, the JVM's trusted CAs: {@link NetworkSettings#DIRECT}. */
  public RegionTransport(Vertx vertx, TransportOptions options) {
    this(vertx, options, NetworkSettings.DIRECT);
  }

  /**
   * A transport reaching its region through {@code network}'s proxy (unless {@code NO_PROXY}
   * exempts the region's host) and trusting its CA bundle besides the JVM's CAs.
   *
   * @throws IllegalArgumentException when the proxy named for this region is unusable
   */
  public RegionTransport(Vertx vertx, TransportOptions options, NetworkSettings network) {
    this.vertx = vertx;
    this.options = options;
    this.network = network;
    HttpClientOptions http =
        new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
            .setKeepAlive(true)
            .setTcpKeepAlive(true)
            .setDecompressionSupported(true)
            .setVerifyHost(true)
            .setName("claude-relay");
    this.proxy = network.applyTo(http, Endpoint.of(options.baseUrl()));
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(options.maxConnections())
            .setMaxWaitQueueSize(options.maxWaitQueue());
    this.client = vertx.createHttpClient(http, pool);
    this.server = Server.of(options.baseUrl());
  }

  public TransportOptions options() {
    return options;
  }

  /** How this region is reached: directly, or through which proxy and why. */
  public ProxyChoice proxy() {
    return proxy;
  }

  /**
   * Sends {@code request} with {@code apiKey} and reads the whole body.
   *
   * @param timeLimitMs what is left of the call's deadline; no phase of this attempt outlives it
   */
  public InFlight send(UpstreamRequest request, String apiKey, long timeLimitMs) {
    Promise<UpstreamResponse> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long started = System.nanoTime();
    boolean deadlineFirst = timeLimitMs < options.responseTimeoutMs();
    long headersLimit = Math.max(1, Math.min(options.responseTimeoutMs(), timeLimitMs));
    boolean[] headersReceived = {false};
    // One timer for the attempt when the deadline comes before the response-headers limit (the
    // usual case: the call's deadline is at most the headers limit): it ends whichever phase is
    // on. Otherwise the headers limit first, then the deadline once the headers are in.
    long[] timer = {
      vertx.setTimer(
          headersLimit,
          t ->
              abandon(
                  promise,
                  sent,
                  headersReceived[0]
                      ? bodyDeadline(request)
                      : new ClaudeTimeoutException(
                          deadlineFirst
                              ? ClaudeTimeoutException.Phase.DEADLINE
                              : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
                          "no response from " + url(request) + " within " + headersLimit + " ms")))
    };

    RequestOptions ro = requestOptions(request, apiKey).putHeader(HttpHeaders.ACCEPT, JSON);

    client
        .request(ro)
        .compose(
            req -> {
              sent.set(req);
              if (promise.future().isComplete()) {
                req.reset();
                return Future.failedFuture(new CancellationException("abandoned"));
              }
              return request.body() == null ? req.send() : req.send(request.body());
            })
        .compose(
            resp -> {
              headersReceived[0] = true;
              if (!deadlineFirst) {
                vertx.cancelTimer(timer[0]);
                long left = timeLimitMs - (System.nanoTime() - started) / 1_000_000;
                timer[0] =
                    vertx.setTimer(
                        Math.max(1, left), t -> abandon(promise, sent, bodyDeadline(request)));
              }
              sent.get().idleTimeout(options.idleTimeoutMs());
              return resp.body()
                  .map(body -> new UpstreamResponse(resp.statusCode(), resp.headers(), body));
            })
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer[0]);
              if (ar.succeeded()) {
                promise.tryComplete(ar.result());
              } else {
                promise.tryFail(FailureMapper.map(ar.cause(), url(request), headersReceived[0]));
              }
            });
    return new InFlight(
        promise.future(),
        () -> {
          vertx.cancelTimer(timer[0]);
          abandon(promise, sent, new CancellationException("cancelled by the caller"));
        });
  }

  private ClaudeTimeoutException bodyDeadline(UpstreamRequest request) {
    return new ClaudeTimeoutException(
        ClaudeTimeoutException.Phase.DEADLINE,
        "response body from " + url(request) + " not complete before the deadline");
  }

  private String url(UpstreamRequest request) {
    return options.baseUrl() + request.path();
  }

  /**
   * Opens a streamed request. Completes when the response headers arrive: with a paused {@link
   * SseStream} for a 2xx {@code text/event-stream} answer, else with the whole error response. The
   * stream's demand, watchdog and cancellation are the caller's from then on.
   */
  public Future<StreamStart> openStream(
      UpstreamRequest request, String apiKey, long timeLimitMs, StreamSettings settings) {
    String url = options.baseUrl() + request.path();
    Promise<StreamStart> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    boolean deadlineFirst = timeLimitMs < options.responseTimeoutMs();
    long headersLimit = Math.max(1, Math.min(options.responseTimeoutMs(), timeLimitMs));
    long timer =
        vertx.setTimer(
            headersLimit,
            t -> {
              ClaudeTimeoutException why =
                  new ClaudeTimeoutException(
                      deadlineFirst
                          ? ClaudeTimeoutException.Phase.DEADLINE
                          : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
                      "no response from " + url + " within " + headersLimit + " ms");
              if (promise.tryFail(why) && sent.get() != null) {
                sent.get().reset(0, why);
              }
            });
    RequestOptions ro = requestOptions(request, apiKey).putHeader(HttpHeaders.ACCEPT, EVENT_STREAM);
    client
        .request(ro)
        .compose(
            req -> {
              sent.set(req);
              if (promise.future().isComplete()) {
                req.reset();
                return Future.failedFuture(new CancellationException("abandoned"));
              }
              return request.body() == null ? req.send() : req.send(request.body());
            })
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.failed()) {
                promise.tryFail(FailureMapper.map(ar.cause(), url, false));
                return;
              }
              HttpClientResponse resp = ar.result();
              String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
              boolean sse =
                  type != null
                      && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
              if (resp.statusCode() / 100 == 2 && sse) {
                SseStream stream =
                    new SseStream(
                        vertx,
                        sent.get(),
                        resp,
                        settings.idleTimeoutMs(),
                        settings.maxEventBytes(),
                        frame -> settings.pingsAreActivity() || !"ping".equals(frame.event()),
                        settings.pingsAreActivity(),
                        t -> FailureMapper.map(t, url, true),
                        silentMs ->
                            new ClaudeTimeoutException(
                                ClaudeTimeoutException.Phase.BODY,
                                "stream from "
                                    + url
                                    + " stalled: no event for "
                                    + silentMs
                                    + " ms"));
                if (!promise.tryComplete(
                    new StreamStart(
                        new UpstreamResponse(resp.statusCode(), resp.headers(), null), stream))) {
                  stream.cancel();
                }
                return;
              }
              sent.get().idleTimeout(options.idleTimeoutMs());
              resp.body()
                  .onComplete(
                      body -> {
                        if (body.succeeded()) {
                          promise.tryComplete(
                              new StreamStart(
                                  new UpstreamResponse(
                                      resp.statusCode(), resp.headers(), body.result()),
                                  null));
                        } else {
                          promise.tryFail(FailureMapper.map(body.cause(), url, true));
                        }
                      });
            });
    return promise.future();
  }

  private RequestOptions requestOptions(UpstreamRequest request, String apiKey) {
    RequestOptions ro = new RequestOptions().setMethod(request.method()).setFollowRedirects(false);
    if (server != null) {
      ro.setHost(server.host())
          .setPort(server.port())
          .setSsl(server.ssl())
          .setURI(server.basePath() + request.path());
    } else {
      ro.setAbsoluteURI(url(request));
    }
    ro.putHeader(X_API_KEY, apiKey == null ? "" : apiKey)
        .putHeader(
            ANTHROPIC_VERSION,
            request
                .forwardHeaders()
                .getOrDefault("anthropic-version", options.defaultAnthropicVersion()))
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    String beta = request.forwardHeaders().get("anthropic-beta");
    if (beta != null) {
      ro.putHeader(ANTHROPIC_BETA, beta);
    }
    if (request.body() != null) {
      ro.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    }
    return ro;
  }

  private static void abandon(
      Promise<UpstreamResponse> promise, AtomicReference<HttpClientRequest> sent, Throwable why) {
    if (promise.tryFail(why)) {
      HttpClientRequest req = sent.get();
      if (req != null) {
        req.reset(0, why);
      }
    }
  }

  /**
   * A transport to the same region (same proxy, CAs and limits) with a pool of its own, one
   * connection, for health probes. Kept out of the traffic pool for two reasons: a probe never
   * queues behind traffic for a connection (and times out, marking a busy region down); and a
   * connection belongs to the event loop that opened it, so a probe's connection in the shared pool
   * made every request later served on it from the gateway's event loop cross threads twice
   * (measured: ~8 % more event-loop CPU at 1,000 req/s, docs/benchmarks.md).
   */
  public synchronized RegionTransport probes() {
    if (probes == null) {
      TransportOptions o = options;
      probes =
          new RegionTransport(
              vertx,
              new TransportOptions(
                  o.baseUrl(),
                  o.connectTimeoutMs(),
                  o.responseTimeoutMs(),
                  o.idleTimeoutMs(),
                  1,
                  o.maxWaitQueue(),
                  o.defaultAnthropicVersion()),
              network);
    }
    return probes;
  }

  public Future<Void> close() {
    RegionTransport p;
    synchronized (this) {
      p = probes;
    }
    return p == null ? client.close() : Future.all(client.close(), p.close()).mapEmpty();
  }
}
