package dev.clauderelay.gateway;

import dev.clauderelay.client.ClaudeClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Anthropic-compatible HTTP gateway: the official SDKs work against it by setting their base
 * URL to it and their API key to a gateway token. Every call goes through the {@link
 * ClaudeClient}'s pipeline; the gateway adds client auth, input limits, the mapping of failures to
 * Anthropic error JSON, SSE relaying with backpressure, and the operations endpoints. See {@code
 * docs/gateway.md}.
 *
 * <p>Routes: {@code POST /v1/messages} (JSON, or SSE with {@code "stream": true}), {@code POST
 * /v1/messages/count_tokens}, {@code GET /v1/models}, {@code GET /v1/models/{id}}, {@code GET
 * /v1/relay/tasks/{id}} (a pending task: docs/degrade.md) (all need a token when tokens are
 * configured); {@code GET /health/live}, {@code /health/ready}, {@code /status}, {@code /metrics}
 * (open).
 *
 * <p>Starting fails when no token is configured and the host is not a loopback address: an
 * unauthenticated gateway on a network would spend the region's key for anyone. Stopping stops
 * accepting connections and lets in-flight requests finish for up to {@code shutdownTimeoutMs}.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final ClaudeClient client;
  private final GatewayOptions options;
  private final RegionStatus regions;
  private final Supplier<String> metricsScrape;
  private final LongSupplier clock;
  private final ClientAuth auth;
  private HttpServer server;
  private ConnectionGuard guard;
  private OpsRoutes ops;
  private volatile int actualPort = -1;

  /**
   * @param regions readiness and {@code /status} of the client's regions
   * @param metricsScrape Prometheus text for {@code GET /metrics}; null answers 404 there
   */
  public GatewayVerticle(
      ClaudeClient client,
      GatewayOptions options,
      RegionStatus regions,
      Supplier<String> metricsScrape) {
    this(client, options, regions, metricsScrape, System::currentTimeMillis);
  }

  /**
   * @param clock epoch milliseconds for readiness and {@code /status}: the clock the client's
   *     regions run on
   */
  public GatewayVerticle(
      ClaudeClient client,
      GatewayOptions options,
      RegionStatus regions,
      Supplier<String> metricsScrape,
      LongSupplier clock) {
    this.client = client;
    this.options = new GatewayOptions(options);
    this.regions = regions;
    this.metricsScrape = metricsScrape;
    this.clock = clock;
    this.auth = new ClientAuth(this.options.getTokens());
  }

  /**
   * Why this configuration must not start, or null. No tokens on a non-loopback host is refused.
   */
  public static String startupProblem(GatewayOptions options) {
    if (options.getTokens().isEmpty() && !Loopback.isLoopback(options.getHost())) {
      return "gateway.tokens is empty and gateway.host "
          + options.getHost()
          + " is not a loopback address: refusing to serve the Anthropic API without client"
          + " authentication on a network. Set gateway.tokens (or CLAUDE_RELAY_GATEWAY_TOKENS),"
          + " or bind gateway.host to 127.0.0.1.";
    }
    return null;
  }

  @Override
  public Future<?> start() {
    String problem = startupProblem(options);
    if (problem != null) {
      return Future.failedFuture(new IllegalStateException(problem));
    }
    // The access log writes each request's outcome line: the calls this context makes through the
    // client's pipeline log theirs at DEBUG, so that a request makes one INFO line, not two.
    context.put(AccessLog.OUTCOME_LOGGED_BY_CALLER, Boolean.TRUE);
    guard = new ConnectionGuard(vertx, options.getHeaderTimeoutMs(), options.getIdleTimeoutMs());
    ops = new OpsRoutes(regions, metricsScrape, clock, options, auth.open(), client::pendingTasks);
    ApiRoutes api = new ApiRoutes(vertx, client, options);
    Router router = Router.router(vertx);
    router.route().handler(this::gate);
    router.post("/v1/messages").handler(api::messages);
    router.post("/v1/messages/count_tokens").handler(api::countTokens);
    router.get("/v1/models").handler(api::models);
    router.get("/v1/models/:id").handler(api::model);
    router.get("/v1/relay/tasks/:id").handler(api::task);
    router.get("/health/live").handler(ops::live);
    router.get("/health/ready").handler(ops::ready);
    router.get("/status").handler(ops::status);
    router.get("/metrics").handler(ops::metrics);
    router.errorHandler(404, rc -> routeError(rc, 404, "no such route: "));
    router.errorHandler(405, rc -> routeError(rc, 405, "method not allowed: "));
    router.errorHandler(500, this::internalError);
    server =
        vertx
            .createHttpServer(serverOptions())
            .connectionHandler(conn -> guard.onConnect(conn))
            .invalidRequestHandler(InvalidRequests::handle)
            .requestHandler(router);
    return server
        .listen()
        .map(
            s -> {
              actualPort = s.actualPort();
              LOG.info(
                  "gateway listening on {}:{} (client auth: {})",
                  options.getHost(),
                  actualPort,
                  auth.open() ? "none, loopback only" : options.getTokens().size() + " token(s)");
              return s;
            });
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    ops.drain();
    return server.shutdown(Duration.ofMillis(options.getShutdownTimeoutMs()));
  }

  /** The port bound (useful with port 0), or -1 before the server listens. */
  public int actualPort() {
    return actualPort;
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setMaxHeaderSize(options.getMaxHeaderSize())
        // HTTP/1.1 only: the SDKs speak it, and the connection limits here are per connection.
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true);
  }

  /** First handler of every request: its record, its log line, the connection timers, auth. */
  private void gate(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String path = rc.normalizedPath();
    boolean open = OpsRoutes.PATHS.contains(path);
    RequestRecord record = new RequestRecord(request.method().name(), request.path(), open);
    rc.put(RequestRecord.KEY, record);
    guard.onRequest(request.connection());
    rc.addEndHandler(
        ar -> {
          guard.onResponseDone(request.connection());
          AccessLog.outcome(record, ar.succeeded() ? rc.response().getStatusCode() : 0);
        });
    if (open) {
      rc.next();
      return;
    }
    // The body is read by the route, under its limits; until then nothing is buffered.
    request.pause();
    if (!auth.accepts(request)) {
      EarlyClose.announce(request);
      Future<Void> written =
          Replies.error(
              rc.response(),
              record,
              ErrorReply.local(
                  401,
                  "invalid or missing gateway token (send it as x-api-key or Authorization:"
                      + " Bearer)"));
      EarlyClose.drainAndClose(vertx, request, written);
      return;
    }
    rc.next();
  }

  private void routeError(RoutingContext rc, int status, String prefix) {
    RequestRecord record = rc.get(RequestRecord.KEY);
    HttpServerRequest request = rc.request();
    String message = prefix + request.method().name() + " " + request.path();
    EarlyClose.announce(request);
    Future<Void> written = Replies.error(rc.response(), record, ErrorReply.local(status, message));
    EarlyClose.drainAndClose(vertx, request, written);
  }

  private void internalError(RoutingContext rc) {
    LOG.warn(
        "gateway handler failed on {} {}",
        rc.request().method(),
        rc.request().path(),
        rc.failure());
    RequestRecord record = rc.get(RequestRecord.KEY);
    if (record == null) {
      record = new RequestRecord(rc.request().method().name(), rc.request().path(), false);
    }
    Replies.error(rc.response(), record, ErrorReply.local(500, "internal error in the relay"));
  }
}
