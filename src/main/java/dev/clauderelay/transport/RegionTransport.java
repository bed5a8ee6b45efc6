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
  private static final String USER_AGENT = "claude-relay/0.1";

  private final Vertx vertx;
  private final TransportOptions options;
  private final HttpClientAgent client;
  private final ProxyChoice proxy;

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
    String url = options.baseUrl() + request.path();
    Promise<UpstreamResponse> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long started = System.nanoTime();
    boolean deadlineFirst = timeLimitMs < options.responseTimeoutMs();
    long headersLimit = Math.max(1, Math.min(options.responseTimeoutMs(), timeLimitMs));
    long[] timer = {
      vertx.setTimer(
          headersLimit,
          t ->
              abandon(
                  promise,
                  sent,
                  new ClaudeTimeoutException(
                      deadlineFirst
                          ? ClaudeTimeoutException.Phase.DEADLINE
                          : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
                      "no response from " + url + " within " + headersLimit + " ms")))
    };
    boolean[] headersReceived = {false};

    RequestOptions ro =
        requestOptions(request, apiKey, url).putHeader(HttpHeaders.ACCEPT, "application/json");

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
              vertx.cancelTimer(timer[0]);
              long left = timeLimitMs - (System.nanoTime() - started) / 1_000_000;
              timer[0] =
                  vertx.setTimer(
                      Math.max(1, left),
                      t ->
                          abandon(
                              promise,
                              sent,
                              new ClaudeTimeoutException(
                                  ClaudeTimeoutException.Phase.DEADLINE,
                                  "response body from "
                                      + url
                                      + " not complete before the deadline")));
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
                promise.tryFail(FailureMapper.map(ar.cause(), url, headersReceived[0]));
              }
            });
    return new InFlight(
        promise.future(),
        () -> {
          vertx.cancelTimer(timer[0]);
          abandon(promise, sent, new CancellationException("cancelled by the caller"));
        });
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
    RequestOptions ro =
        requestOptions(request, apiKey, url).putHeader(HttpHeaders.ACCEPT, "text/event-stream");
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

  private RequestOptions requestOptions(UpstreamRequest request, String apiKey, String url) {
    RequestOptions ro =
        new RequestOptions()
            .setMethod(request.method())
            .setAbsoluteURI(url)
            .setFollowRedirects(false)
            .putHeader("x-api-key", apiKey == null ? "" : apiKey)
            .putHeader(
                "anthropic-version",
                request
                    .forwardHeaders()
                    .getOrDefault("anthropic-version", options.defaultAnthropicVersion()))
            .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    String beta = request.forwardHeaders().get("anthropic-beta");
    if (beta != null) {
      ro.putHeader("anthropic-beta", beta);
    }
    if (request.body() != null) {
      ro.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
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

  public Future<Void> close() {
    return client.close();
  }
}
