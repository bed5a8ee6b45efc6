package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.FakeOpenAiServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalModelClientTest {
  private static final JsonObject REQUEST =
      new JsonObject(
          """
          {"model":"claude-sonnet-4-5","max_tokens":64,"temperature":0,
           "system":"Answer in French.","stop_sequences":["FIN"],
           "messages":[{"role":"user","content":"Hello"}]}
          """);

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private Context ctx;
  private FakeOpenAiServer server;
  private LocalModelClient client;

  @BeforeEach
  void start() {
    // Coarse on purpose: catches a call that waits on I/O, not one-time class loading on a busy
    // box.
    watch = new BlockedThreadWatch(1000);
    vertx = watch.vertx();
    ctx = vertx.getOrCreateContext();
    server = new FakeOpenAiServer(vertx);
    client =
        new LocalModelClient(
            vertx, LocalModelOptions.of(server.baseUrl(), "llama3.1:8b", "sk-local"));
  }

  @AfterEach
  void stop() {
    Await.result(client.close());
    server.close();
    List<String> blocked = watch.warnings();
    watch.close();
    assertTrue(blocked.isEmpty(), "event loop blocked:\n" + String.join("\n", blocked));
  }

  @Test
  void jsonAnswerIsTranslatedBothWays() {
    server.answer(
        req ->
            req.response()
                .putHeader("content-type", "application/json")
                .end(FakeOpenAiServer.completion("Bonjour.", "stop", 17, 3)));
    Message m = Await.result(on(() -> client.complete(REQUEST)));

    assertEquals("Bonjour.", m.text());
    assertEquals("end_turn", m.stopReason());
    assertEquals("claude-sonnet-4-5", m.model());
    assertEquals(17, m.usage().inputTokens());
    assertEquals(3, m.usage().outputTokens());

    FakeOpenAiServer.Received sent = server.received.get(0);
    assertEquals("Bearer sk-local", sent.headers().get("authorization"));
    assertEquals(
        new JsonObject(
            """
            {"model":"llama3.1:8b","messages":[{"role":"system","content":"Answer in French."},
             {"role":"user","content":"Hello"}],"max_tokens":64,"temperature":0,"stop":["FIN"],
             "stream":false}
            """),
        sent.body());
  }

  @Test
  void streamedAnswerArrivesAsAnthropicEventsOneAtATime() {
    server.answer(
        req -> {
          HttpServerResponse resp = req.response().setChunked(true);
          resp.putHeader("content-type", "text/event-stream");
          String all =
              FakeOpenAiServer.chunk("", null)
                  + FakeOpenAiServer.chunk("Bon", null)
                  + FakeOpenAiServer.chunk("jour", null)
                  + FakeOpenAiServer.chunk(" !", null)
                  + FakeOpenAiServer.chunk(null, "length")
                  + FakeOpenAiServer.usageChunk(11, 3)
                  + "data: [DONE]\n\n";
          // Split at odd places: events and even UTF-8 characters cross network chunks.
          byte[] bytes = all.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          for (int i = 0; i < bytes.length; i += 7) {
            resp.write(
                Buffer.buffer(
                    java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7))));
          }
          resp.end();
        });
    LocalModelStream stream = Await.result(on(() -> client.stream(REQUEST)));
    List<StreamEvent> events = new ArrayList<>();
    long[] asked = {0};
    Promise<List<StreamEvent>> done = Promise.promise();
    ctx.runOnContext(
        v -> {
          stream
              .handler(
                  e -> {
                    events.add(e);
                    if (events.size() > asked[0]) {
                      done.tryFail(new AssertionError("delivered beyond demand"));
                    }
                    // Ask for the next one later, from another task, as a slow reader would.
                    ctx.runOnContext(
                        w -> {
                          asked[0]++;
                          stream.fetch(1);
                        });
                  })
              .exceptionHandler(done::tryFail)
              .endHandler(w -> done.tryComplete(events));
          asked[0] = 1;
          stream.fetch(1);
        });
    Await.result(done.future());

    assertEquals(
        List.of(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"),
        events.stream().map(StreamEvent::type).toList());
    Message m = Await.result(stream.message());
    assertEquals("Bonjour !", m.text());
    assertEquals("max_tokens", m.stopReason());
    assertEquals(11, m.usage().inputTokens());
    assertEquals(3, m.usage().outputTokens());
    JsonObject sent = server.received.get(0).body();
    assertEquals(true, sent.getValue("stream"));
    assertEquals(true, sent.getJsonObject("stream_options").getValue("include_usage"));
  }

  @Test
  void aSlowReaderHoldsTheServerBack() {
    Promise<Void> serverBlocked = Promise.promise();
    server.answer(
        req -> {
          HttpServerResponse resp = req.response().setChunked(true);
          resp.putHeader("content-type", "text/event-stream");
          pump(resp, FakeOpenAiServer.chunk("x".repeat(16 * 1024), null), 0, serverBlocked);
        });
    LocalModelStream stream = Await.result(on(() -> client.stream(REQUEST)));
    List<StreamEvent> events = new ArrayList<>();
    Promise<Void> twoDelivered = Promise.promise();
    ctx.runOnContext(
        v ->
            stream
                .handler(
                    e -> {
                      events.add(e);
                      if (events.size() == 2) {
                        twoDelivered.complete();
                      }
                    })
                .fetch(2));
    Await.result(twoDelivered.future());
    Await.result(serverBlocked.future());
    int seen =
        Await.result(
            on(
                () -> {
                  int n = events.size();
                  stream.cancel();
                  return Future.succeededFuture(n);
                }));
    assertEquals(2, seen, "only what was asked for, though the server had megabytes to send");
    assertInstanceOf(StreamInterruptedException.class, Await.failure(stream.message()));
  }

  @Test
  void aStreamCutBeforeDoneFailsAsInterrupted() {
    server.answer(
        req -> {
          HttpServerResponse resp = req.response().setChunked(true);
          resp.putHeader("content-type", "text/event-stream");
          resp.write(FakeOpenAiServer.chunk("partial", null))
              .onComplete(ar -> req.connection().close());
        });
    LocalModelStream stream = Await.result(on(() -> client.stream(REQUEST)));
    Promise<Void> failed = Promise.promise();
    List<StreamEvent> events = new ArrayList<>();
    ctx.runOnContext(
        v ->
            stream
                .handler(events::add)
                .exceptionHandler(failed::tryFail)
                .endHandler(w -> failed.tryComplete())
                .resume());
    Throwable t = Await.failure(failed.future());
    StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, t);
    // Vert.x reports the close even while bytes already received wait unread (the stream starts
    // paused), so the partial text is what the reader had taken by then: all of it or none.
    assertTrue(
        List.of("", "partial").contains(e.partialMessage().text()), e.partialMessage().text());
    assertFalse(events.stream().anyMatch(ev -> ev.type().equals("message_stop")));
    assertInstanceOf(StreamInterruptedException.class, Await.failure(stream.message()));
  }

  @Test
  void errorStatusBecomesApiException() {
    server.answer(
        req ->
            req.response()
                .setStatusCode(503)
                .putHeader("content-type", "application/json")
                .end("{\"error\":{\"message\":\"model is loading\",\"type\":\"server_error\"}}"));
    ApiException plain =
        assertInstanceOf(ApiException.class, Await.failure(on(() -> client.complete(REQUEST))));
    assertEquals(503, plain.status());
    assertEquals("server_error", plain.errorType());
    ApiException streamed =
        assertInstanceOf(ApiException.class, Await.failure(on(() -> client.stream(REQUEST))));
    assertEquals(503, streamed.status());
  }

  @Test
  void unsupportedRequestIsRefusedWithoutACall() {
    JsonObject withImage =
        REQUEST
            .copy()
            .put(
                "messages",
                new io.vertx.core.json.JsonArray(
                    "[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]"));
    assertInstanceOf(
        LocalModelUnsupportedException.class, Await.failure(on(() -> client.complete(withImage))));
    assertInstanceOf(
        LocalModelUnsupportedException.class, Await.failure(on(() -> client.stream(withImage))));
    assertTrue(server.received.isEmpty());
  }

  @Test
  void refusedConnectionIsAConnectionException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    LocalModelClient nowhere =
        new LocalModelClient(
            vertx, LocalModelOptions.of("http://127.0.0.1:" + port + "/v1", "m", null));
    ConnectionException e =
        assertInstanceOf(
            ConnectionException.class, Await.failure(on(() -> nowhere.complete(REQUEST))));
    assertEquals(ConnectionException.Kind.REFUSED, e.kind());
    Await.result(nowhere.close());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() {
    server.answer(req -> {}); // holds the request open
    LocalModelClient impatient =
        new LocalModelClient(
            vertx, new LocalModelOptions(server.baseUrl(), "m", null, 1_000, 100, 100, 1 << 16));
    assertInstanceOf(
        ClaudeTimeoutException.class, Await.failure(on(() -> impatient.complete(REQUEST))));
    assertInstanceOf(
        ClaudeTimeoutException.class, Await.failure(on(() -> impatient.stream(REQUEST))));
    Await.result(impatient.close());
  }

  /**
   * Writes until the socket pushes back (only a reader that stops reading causes that), one write
   * per event-loop turn so the loop stays free.
   */
  private void pump(HttpServerResponse resp, String piece, int written, Promise<Void> blocked) {
    if (resp.writeQueueFull()) {
      blocked.tryComplete();
    } else if (written > 20_000) {
      blocked.tryFail("wrote 320 MB without back-pressure");
    } else if (!resp.closed()) {
      resp.write(piece);
      vertx.runOnContext(v -> pump(resp, piece, written + 1, blocked));
    }
  }

  /** Runs on the test's event-loop context, as the relay calls the client. */
  private <T> Future<T> on(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            call.get().onComplete(p);
          } catch (RuntimeException | AssertionError e) {
            p.fail(e);
          }
        });
    return p.future();
  }
}
