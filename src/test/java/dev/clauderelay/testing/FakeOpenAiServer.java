package dev.clauderelay.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small OpenAI-compatible {@code /v1/chat/completions} server on a real socket: records each
 * request (body and headers) and answers with whatever the test set as {@link #answer}.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  public record Received(JsonObject body, Map<String, String> headers) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Handler<HttpServerRequest> answer =
      req -> req.response().setStatusCode(500).end();

  public FakeOpenAiServer(Vertx vertx) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(
        req -> {
          if (!req.path().equals("/v1/chat/completions")) {
            req.response().setStatusCode(404).end();
            return;
          }
          req.body()
              .onSuccess(
                  body -> {
                    Map<String, String> headers = new java.util.TreeMap<>();
                    req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                    received.add(new Received(body.toJsonObject(), headers));
                    answer.handle(req);
                  });
        });
    Await.result(server.listen());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public void answer(Handler<HttpServerRequest> handler) {
    this.answer = handler;
  }

  public static String completion(String text, String finish, int prompt, int completion) {
    return new JsonObject()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion")
        .put("model", "llama")
        .put(
            "choices",
            List.of(
                new JsonObject()
                    .put("index", 0)
                    .put("message", new JsonObject().put("role", "assistant").put("content", text))
                    .put("finish_reason", finish)))
        .put(
            "usage",
            new JsonObject()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion))
        .encode();
  }

  public static String chunk(String content, String finish) {
    JsonObject delta =
        content == null ? new JsonObject() : new JsonObject().put("content", content);
    return "data: "
        + new JsonObject()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion.chunk")
            .put(
                "choices",
                List.of(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", finish)))
            .encode()
        + "\n\n";
  }

  public static String usageChunk(int prompt, int completion) {
    return "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + "}}\n\n";
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
