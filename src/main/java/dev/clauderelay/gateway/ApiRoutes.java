package dev.clauderelay.gateway;

import dev.clauderelay.api.error.TaskQueuedException;
import dev.clauderelay.client.CallOptions;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.Exchange;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Anthropic routes: each reads and checks its body, then goes through the client's pipeline
 * (retries, failover, pacing) and answers what came back, or the mapped error.
 */
final class ApiRoutes {
  private final Vertx vertx;
  private final ClaudeClient client;
  private final GatewayOptions options;
  private final BodyReader bodies;

  ApiRoutes(Vertx vertx, ClaudeClient client, GatewayOptions options) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.bodies = new BodyReader(vertx, options.getMaxBodyBytes(), options.getBodyTimeoutMs());
  }

  /** {@code POST /v1/messages}: JSON, or SSE when the body says {@code "stream": true}. */
  void messages(RoutingContext rc) {
    readJson(
        rc,
        (body, raw) -> {
          RequestBodies.checkMessage(body);
          CallOptions call = degradeOptions(rc, Forwarding.callOptions(rc.request()));
          // The client's bytes go upstream as they came (checked, not re-encoded).
          if (Boolean.TRUE.equals(body.getValue("stream"))) {
            new SseRelay(vertx, rc, record(rc), client.stream(body, raw, call), options).start();
          } else {
            forward(rc, client.mutiny().exchange(HttpMethod.POST, "/v1/messages", body, raw, call));
          }
        });
  }

  /** {@code POST /v1/messages/count_tokens}. */
  void countTokens(RoutingContext rc) {
    readJson(
        rc,
        (body, raw) -> {
          RequestBodies.checkCountTokens(body);
          forward(
              rc,
              client
                  .mutiny()
                  .exchange(
                      HttpMethod.POST,
                      "/v1/messages/count_tokens",
                      body,
                      raw,
                      Forwarding.callOptions(rc.request())));
        });
  }

  /** {@code GET /v1/models} with its paging query ({@code limit}, {@code after_id}, …). */
  void models(RoutingContext rc) {
    String query = rc.request().query();
    get(rc, "/v1/models" + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  /** {@code GET /v1/models/{id}}. */
  void model(RoutingContext rc) {
    String id = URLEncoder.encode(rc.pathParam("id"), StandardCharsets.UTF_8).replace("+", "%20");
    get(rc, "/v1/models/" + id);
  }

  private void get(RoutingContext rc, String pathAndQuery) {
    bodies.read(
        rc.request(),
        reply -> error(rc, reply),
        ignored ->
            forward(
                rc,
                client
                    .mutiny()
                    .exchange(
                        HttpMethod.GET, pathAndQuery, null, Forwarding.callOptions(rc.request()))));
  }

  /** {@code GET /v1/relay/tasks/{id}}: a pending task's state, and its Message once done. */
  void task(RoutingContext rc) {
    String id = rc.pathParam("id");
    bodies.read(
        rc.request(),
        reply -> error(rc, reply),
        ignored ->
            client
                .task(id)
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        error(
                            rc,
                            ErrorReply.local(
                                500, "cannot read pending task " + id + ": " + ar.cause()));
                      } else if (ar.result().isEmpty()) {
                        error(rc, ErrorReply.local(404, "no pending task " + id));
                      } else {
                        Replies.json(rc.response(), record(rc), 200, ar.result().get());
                      }
                    }));
  }

  /**
   * The relay's own request headers (docs/degrade.md): {@code x-relay-cache: on|off}, {@code
   * idempotency-key}, {@code x-relay-queue: on}. They are read here and never forwarded.
   */
  static CallOptions degradeOptions(RoutingContext rc, CallOptions call)
      throws RequestBodies.Invalid {
    MultiMap h = rc.request().headers();
    String key = h.get("idempotency-key");
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
      throw new RequestBodies.Invalid(
          "idempotency-key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
    }
    return call.setCache(h.get("x-relay-cache"))
        .setIdempotencyKey(key)
        .setQueue("on".equalsIgnoreCase(h.get("x-relay-queue")));
  }

  static final int MAX_IDEMPOTENCY_KEY = 255;

  /**
   * A handler of a JSON body and the bytes it was parsed from; throws {@link RequestBodies.Invalid}
   * to answer 400.
   */
  private interface JsonHandler {
    void handle(JsonObject body, Buffer raw) throws RequestBodies.Invalid;
  }

  private void readJson(RoutingContext rc, JsonHandler handler) {
    bodies.read(
        rc.request(),
        reply -> error(rc, reply),
        (Buffer raw) -> {
          try {
            handler.handle(RequestBodies.parseObject(raw), raw);
          } catch (RequestBodies.Invalid invalid) {
            error(rc, ErrorReply.local(400, invalid.getMessage()));
          }
        });
  }

  /**
   * Runs the call and answers it. A client that goes away before the answer cancels the call: the
   * upstream request is reset instead of spending tokens nobody will read.
   */
  private void forward(RoutingContext rc, Uni<Exchange> exchange) {
    Cancellable call =
        exchange
            .subscribe()
            .with(
                ex -> answer(rc, Future.succeededFuture(ex)),
                f -> answer(rc, Future.failedFuture(f)));
    rc.addEndHandler(
        ar -> {
          if (ar.failed()) {
            call.cancel();
          }
        });
  }

  private void answer(RoutingContext rc, AsyncResult<Exchange> ar) {
    if (ar.succeeded()) {
      Replies.exchange(rc.response(), record(rc), ar.result());
    } else if (ar.cause() instanceof TaskQueuedException queued) {
      Replies.queued(rc.response(), record(rc), queued);
    } else {
      error(rc, Failures.reply(ar.cause(), System.currentTimeMillis()));
    }
  }

  private Future<Void> error(RoutingContext rc, ErrorReply reply) {
    return Replies.error(rc.response(), record(rc), reply);
  }

  static RequestRecord record(RoutingContext rc) {
    return rc.get(RequestRecord.KEY);
  }
}
