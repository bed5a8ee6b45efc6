package dev.clauderelay.sim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** A tiny HTTP client for the simulator tests: sends one request, keeps whatever arrived. */
final class SimHttp {

  /**
   * What came back.
   *
   * @param complete false when the connection closed or timed out before the response ended
   */
  record Reply(int status, MultiMap headers, String body, boolean complete, Throwable failure) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name);
    }

    List<SseEvent> events() {
      return SseEvent.parse(body);
    }
  }

  /** One SSE frame of a body. */
  record SseEvent(String event, JsonObject data) {
    static List<SseEvent> parse(String body) {
      List<SseEvent> events = new ArrayList<>();
      for (String frame : body.split("\n\n")) {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : frame.split("\n")) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
        }
        if (event != null) {
          events.add(new SseEvent(event, new JsonObject(data.toString())));
        }
      }
      return events;
    }
  }

  static final String KEY = "sk-ant-test-key";

  private final Vertx vertx;
  private final HttpClient client;
  private final int port;

  SimHttp(Vertx vertx, HttpClient client, int port) {
    this.vertx = vertx;
    this.client = client;
    this.port = port;
  }

  static JsonObject messageRequest(int maxTokens, String prompt) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", maxTokens)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  static MultiMap defaultHeaders() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("x-api-key", KEY)
        .add("anthropic-version", "2023-06-01")
        .add("content-type", "application/json");
  }

  Future<Reply> postMessage(JsonObject body) {
    return send(HttpMethod.POST, "/v1/messages", defaultHeaders(), body.encode(), 0);
  }

  Future<Reply> get(String path) {
    return send(HttpMethod.GET, path, defaultHeaders(), null, 0);
  }

  /**
   * Sends a request; a connection failure after the response started still yields a Reply with
   * {@code complete == false}, a failure before it fails the future.
   *
   * @param idleTimeoutMs 0 for none; before the response head it fails the future (the client's
   *     idle timeout), after it a watchdog gives up on the body, resets the request and returns
   *     what arrived (Vert.x's idle timeout no longer applies once the head is in)
   */
  Future<Reply> send(
      HttpMethod method, String path, MultiMap headers, String body, long idleTimeoutMs) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path)
            .setHeaders(headers);
    if (idleTimeoutMs > 0) {
      options.setIdleTimeout(idleTimeoutMs);
    }
    return client
        .request(options)
        .compose(
            request ->
                (body == null ? request.send() : request.send(body))
                    .compose(response -> collect(request, response, idleTimeoutMs)));
  }

  private Future<Reply> collect(
      HttpClientRequest request, HttpClientResponse response, long idleTimeoutMs) {
    Buffer received = Buffer.buffer();
    Promise<Void> ended = Promise.promise();
    long[] watchdog = {-1};
    Runnable arm =
        () -> {
          if (idleTimeoutMs <= 0) {
            return;
          }
          vertx.cancelTimer(watchdog[0]);
          watchdog[0] =
              vertx.setTimer(
                  idleTimeoutMs,
                  t -> {
                    if (ended.tryFail(
                        new TimeoutException("no data for " + idleTimeoutMs + " ms"))) {
                      request.reset();
                    }
                  });
        };
    response.handler(
        chunk -> {
          received.appendBuffer(chunk);
          arm.run();
        });
    arm.run();
    response.end().onComplete(ended);
    return ended
        .future()
        .transform(
            done -> {
              vertx.cancelTimer(watchdog[0]);
              return Future.succeededFuture(
                  new Reply(
                      response.statusCode(),
                      response.headers(),
                      received.toString(),
                      done.succeeded(),
                      done.cause()));
            });
  }
}
