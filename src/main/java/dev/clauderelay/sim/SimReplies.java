package dev.clauderelay.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ways the simulator can answer (or not answer) one request, shared by admission, endpoints and
 * scripted responses: so that request ids, recording, latency and held requests are handled in one
 * place.
 */
final class SimReplies {

  private static final String REQUEST_ID_KEY = "sim.requestId";
  private static final String JSON_KEY = "sim.json";

  /** Cached in the routing context when the body is not a JSON object, so it is parsed once. */
  private static final JsonObject NOT_AN_OBJECT = new JsonObject();

  private final SimState state;

  SimReplies(SimState state) {
    this.state = state;
  }

  /** Gives the request its id and records it, once, whichever handler sees it first. */
  String track(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID_KEY);
    if (id != null) {
      return id;
    }
    id = state.nextRequestId();
    ctx.put(REQUEST_ID_KEY, id);
    HttpServerResponse response = ctx.response();
    response.putHeader("request-id", id);
    ctx.addHeadersEndHandler(v -> state.stats.countStatus(response.getStatusCode()));
    HttpServerRequest request = ctx.request();
    long sequence = state.stats.arrive(request.path());
    String body = ctx.body().available() ? ctx.body().asString() : "";
    state.stats.record(
        new RecordedRequest(
            sequence,
            id,
            request.method().name(),
            request.path(),
            request.query(),
            headerMap(request.headers()),
            body,
            System.nanoTime()));
    return id;
  }

  /** Runs {@code action} after the base latency plus {@code extraMs}, unless the client left. */
  void after(RoutingContext ctx, long extraMs, Runnable action) {
    state.timers.schedule(
        state.latencyMs() + extraMs,
        () -> {
          if (!ctx.response().closed()) {
            action.run();
          }
        });
  }

  /** Keeps the request unanswered; it is dropped from the held set when the client goes away. */
  void hold(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      return;
    }
    state.held.add(response);
    response.closeHandler(v -> state.held.remove(response));
  }

  static void closeConnection(RoutingContext ctx) {
    ctx.request().connection().close();
  }

  void fail(RoutingContext ctx, int status, String type, String message) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Too late for a status: the only honest signal left is a broken connection.
      closeConnection(ctx);
      return;
    }
    String requestId = track(ctx);
    response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(ErrorBodies.body(type, message, requestId).encode());
  }

  static void sendJson(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    JsonObject cached = ctx.get(JSON_KEY);
    if (cached == null) {
      JsonObject parsed =
          ctx.body().available() ? RequestCheck.parseObject(ctx.body().buffer()) : null;
      cached = parsed == null ? NOT_AN_OBJECT : parsed;
      ctx.put(JSON_KEY, cached);
    }
    return cached == NOT_AN_OBJECT ? null : cached;
  }

  /** The key from {@code x-api-key}, else from {@code Authorization: Bearer}; null when absent. */
  static String apiKey(HttpServerRequest request) {
    String key = request.getHeader("x-api-key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    String authorization = request.getHeader("authorization");
    if (authorization != null
        && authorization.length() > 7
        && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String bearer = authorization.substring(7).trim();
      return bearer.isEmpty() ? null : bearer;
    }
    return null;
  }

  private static Map<String, List<String>> headerMap(MultiMap headers) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String name : headers.names()) {
      map.put(name, new ArrayList<>(headers.getAll(name)));
    }
    return map;
  }
}
