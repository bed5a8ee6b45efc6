package dev.clauderelay.degrade;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An Anthropic-shaped upstream for the degradation tests, on a real loopback socket: {@code POST
 * /v1/messages} answers a Message whose text is {@code "echo " + marker} (the marker is the first
 * user message's text), {@code GET /v1/models} answers a model list (the health probe).
 *
 * <p>Switches: {@link #refuse()} closes the listening socket (connection refused) and {@link
 * #listen()} opens it again on the same port; {@link #setOverloaded} answers 529 to everything;
 * {@link #setDelayMs} delays each Message (a timer, never a sleep); {@link #holdNext()} keeps the
 * next message request unanswered until {@link #releaseHeld()}, so a test can kill a relay with
 * that request certainly in flight.
 *
 * <p>Every {@code POST /v1/messages} is recorded ({@link #arrivals()}) with its arrival time and
 * the time its answer was written, both {@link System#nanoTime()}.
 */
public final class EchoUpstream {
  /** One message request as the upstream saw it. */
  public static final class Arrival {
    public final String marker;
    public final long arrivedNs;
    public final int status;
    private volatile long answeredNs = -1;

    Arrival(String marker, long arrivedNs, int status) {
      this.marker = marker;
      this.arrivedNs = arrivedNs;
      this.status = status;
    }

    /** When its answer was written, or -1 while it is not. */
    public long answeredNs() {
      return answeredNs;
    }

    @Override
    public String toString() {
      return marker + "(" + status + (answeredNs < 0 ? ", unanswered)" : ")");
    }
  }

  private final Vertx vertx;
  private final String regionKey;
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicReference<CompletableFuture<Arrival>> hold = new AtomicReference<>();
  private final AtomicReference<Runnable> held = new AtomicReference<>();
  private volatile boolean overloaded;
  private volatile long delayMs;
  private volatile HttpServer server;
  private volatile int port;

  private EchoUpstream(Vertx vertx, String regionKey) {
    this.vertx = vertx;
    this.regionKey = regionKey;
  }

  /**
   * Starts listening on a free loopback port.
   *
   * @param regionKey the key the relay must send ({@code x-api-key}); another one is a problem
   */
  public static Future<EchoUpstream> start(Vertx vertx, String regionKey) {
    EchoUpstream u = new EchoUpstream(vertx, regionKey);
    return u.listen().map(v -> u);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Listens (again) on its port: the first call picks a free one. */
  public Future<Void> listen() {
    HttpServer s =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(this::handle);
    return s.listen()
        .map(
            bound -> {
              port = bound.actualPort();
              server = bound;
              return null;
            });
  }

  /** Closes the listening socket and its connections: the relay's connections are refused. */
  public Future<Void> refuse() {
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  public void setOverloaded(boolean overloaded) {
    this.overloaded = overloaded;
  }

  public void setDelayMs(long delayMs) {
    this.delayMs = delayMs;
  }

  /** The next message request is held unanswered; the future completes when it arrives. */
  public CompletableFuture<Arrival> holdNext() {
    CompletableFuture<Arrival> f = new CompletableFuture<>();
    hold.set(f);
    return f;
  }

  /** Answers the held request (to a socket that may be closed by now). */
  public void releaseHeld() {
    Runnable r = held.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  /** Every message request so far, in arrival order. */
  public List<Arrival> arrivals() {
    return new ArrayList<>(arrivals);
  }

  /** What the relay sent that it should not have (a wrong key, a body without a marker). */
  public List<String> problems() {
    return new ArrayList<>(problems);
  }

  public Future<Void> close() {
    return refuse();
  }

  private void handle(HttpServerRequest req) {
    if (!regionKey.equals(req.getHeader("x-api-key"))) {
      problems.add(req.method() + " " + req.path() + " without the region's key");
    }
    if (overloaded) {
      req.body().onComplete(ar -> overloaded(req));
      return;
    }
    if (req.path().equals("/v1/models")) {
      req.response().putHeader("content-type", "application/json").end(models().encode());
    } else if (req.path().equals("/v1/messages")) {
      req.body().onSuccess(body -> message(req, body.toJsonObject()));
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  private void overloaded(HttpServerRequest req) {
    if (req.path().equals("/v1/messages")) {
      arrivals.add(new Arrival(null, System.nanoTime(), 529));
    }
    JsonObject error =
        new JsonObject()
            .put("type", "error")
            .put(
                "error",
                new JsonObject().put("type", "overloaded_error").put("message", "Overloaded"));
    req.response()
        .setStatusCode(529)
        .putHeader("content-type", "application/json")
        .end(error.encode());
  }

  private void message(HttpServerRequest req, JsonObject body) {
    String marker = marker(body);
    if (marker == null) {
      problems.add("a message request without a marker: " + body.encode());
    }
    Arrival arrival = new Arrival(marker, System.nanoTime(), 200);
    arrivals.add(arrival);
    Context ctx = vertx.getOrCreateContext();
    String id = "msg_up_" + ids.incrementAndGet();
    Runnable answer =
        () ->
            ctx.runOnContext(
                v -> {
                  arrival.answeredNs = System.nanoTime();
                  req.response()
                      .putHeader("content-type", "application/json")
                      .putHeader("request-id", "req_up_" + id)
                      .end(answer(id, body.getString("model"), marker).encode())
                      .onFailure(e -> {}); // the relay may be dead: nobody reads it
                });
    CompletableFuture<Arrival> holding = hold.getAndSet(null);
    if (holding != null) {
      held.set(answer);
      holding.complete(arrival);
    } else if (delayMs > 0) {
      vertx.setTimer(delayMs, t -> answer.run());
    } else {
      answer.run();
    }
  }

  /** The first user message's text: a string content or its first text block. */
  static String marker(JsonObject body) {
    JsonArray messages = body.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      return null;
    }
    Object content = messages.getJsonObject(0).getValue("content");
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof JsonArray blocks && !blocks.isEmpty()) {
      return blocks.getJsonObject(0).getString("text");
    }
    return null;
  }

  static JsonObject answer(String id, String model, String marker) {
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model)
        .put(
            "content",
            new JsonArray().add(new JsonObject().put("type", "text").put("text", "echo " + marker)))
        .put("stop_reason", "end_turn")
        .putNull("stop_sequence")
        .put("usage", new JsonObject().put("input_tokens", 7).put("output_tokens", 3));
  }

  private static JsonObject models() {
    JsonObject model =
        new JsonObject()
            .put("type", "model")
            .put("id", "claude-sonnet-4-6")
            .put("display_name", "Claude Sonnet 4.6")
            .put("created_at", "2025-01-01T00:00:00Z");
    return new JsonObject()
        .put("data", new JsonArray().add(model))
        .put("has_more", false)
        .put("first_id", "claude-sonnet-4-6")
        .put("last_id", "claude-sonnet-4-6");
  }
}
