package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.MessageStream;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backpressure, cancellation and stalls against a raw SSE server on a real socket, where the test
 * controls (and observes) every write.
 */
class StreamFlowControlTest {
  private static final String START =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fc\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
          + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

  private BlockedThreadWatch watch;
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      Await.result(server.close());
    }
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private ClaudeClient serve(Handler<HttpServerRequest> handler, long idleTimeoutMs) {
    // A small send buffer so that the kernel does not absorb megabytes before the server notices.
    server =
        Await.result(
            vertx
                .createHttpServer(new HttpServerOptions().setSendBufferSize(32 * 1024))
                .requestHandler(handler)
                .listen(0, "127.0.0.1"));
    return ClaudeClient.create(
        vertx,
        new ClaudeClientOptions()
            .setBaseUrl("http://127.0.0.1:" + server.actualPort())
            .setApiKey("k")
            .setMaxRetries(0)
            .setStreamIdleTimeoutMs(idleTimeoutMs));
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    resp.putHeader("request-id", "req_flow");
    return resp;
  }

  private static String delta(int i) {
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token "
        + i
        + " padding-padding-padding-padding-padding-padding-padding-padding\"}}\n\n";
  }

  @Test
  void aSlowConsumerPausesTheServerAndKeepsTheHeapFlat() {
    int total = 50_000;
    AtomicInteger written = new AtomicInteger();
    AtomicInteger queueFullSeen = new AtomicInteger();
    ClaudeClient client =
        serve(
            req ->
                req.end()
                    .onSuccess(
                        v -> {
                          HttpServerResponse resp = sseHead(req);
                          resp.write(START);
                          Runnable[] pump = new Runnable[1];
                          // As fast as it can, in slices so the server's own loop is never blocked.
                          pump[0] =
                              () -> {
                                int slice = 0;
                                while (written.get() < total
                                    && !resp.writeQueueFull()
                                    && slice++ < 50) {
                                  resp.write(delta(written.getAndIncrement()));
                                }
                                if (written.get() >= total || resp.closed()) {
                                  return;
                                }
                                if (resp.writeQueueFull()) {
                                  queueFullSeen.incrementAndGet();
                                  resp.drainHandler(d -> pump[0].run());
                                } else {
                                  vertx.runOnContext(n -> pump[0].run());
                                }
                              };
                          pump[0].run();
                        }),
            60_000);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();

    MessageStream stream = client.stream(StreamingTest.request());
    AtomicInteger received = new AtomicInteger();
    Promise<Void> twentyReceived = Promise.promise();
    stream.handler(
        e -> {
          if (received.incrementAndGet() == 20) {
            twentyReceived.tryComplete();
          }
        });
    stream.exceptionHandler(twentyReceived::tryFail);
    // One event every 100 ms, on a Vert.x timer.
    long timer = vertx.setPeriodic(1, 100, t -> stream.fetch(1));
    Await.result(twentyReceived.future());
    vertx.cancelTimer(timer);

    System.gc();
    long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
    int writtenWhileSlow = written.get();
    stream.cancel();

    assertTrue(queueFullSeen.get() > 0, "the server saw its write queue full (socket paused)");
    assertTrue(
        writtenWhileSlow < total / 4,
        "the server could write only " + writtenWhileSlow + " of " + total + " events");
    assertTrue(heapGrowth < 16 * 1024 * 1024, "heap grew " + heapGrowth / 1024 + " KiB");
    assertEquals(20, received.get(), "no event beyond the consumer's demand");
  }

  @Test
  void cancellingClosesTheUpstreamConnectionWithinOneSecond() {
    AtomicLong closedAt = new AtomicLong();
    Promise<Void> closed = Promise.promise();
    ClaudeClient client =
        serve(
            req ->
                req.end()
                    .onSuccess(
                        v -> {
                          HttpServerResponse resp = sseHead(req);
                          resp.write(START + delta(0));
                          req.connection()
                              .closeHandler(
                                  c -> {
                                    closedAt.set(System.nanoTime());
                                    closed.tryComplete();
                                  });
                        }),
            60_000);
    MessageStream stream = client.stream(StreamingTest.request());
    Promise<Void> gotContent = Promise.promise();
    stream.handler(
        e -> {
          if (e.type().equals("content_block_delta")) {
            gotContent.tryComplete();
          }
        });
    stream.resume();
    Await.result(gotContent.future());

    long cancelledAt = System.nanoTime();
    stream.cancel();
    Await.result(closed.future());

    long ms = (closedAt.get() - cancelledAt) / 1_000_000;
    assertTrue(ms < 1000, "server saw the close " + ms + " ms after cancel");
  }

  @Test
  void aStallAfterContentFailsWithinTheIdleTimeout() {
    ClaudeClient client =
        serve(
            req ->
                req.end()
                    .onSuccess(
                        v -> {
                          HttpServerResponse resp = sseHead(req);
                          resp.write(START + delta(0));
                        }),
            300);
    MessageStream stream = client.stream(StreamingTest.request());
    Promise<Void> failed = Promise.promise();
    AtomicBoolean content = new AtomicBoolean();
    stream.handler(e -> content.set(true));
    stream.exceptionHandler(failed::tryFail);
    stream.endHandler(v -> failed.tryComplete());
    long t0 = System.nanoTime();
    stream.resume();

    Throwable failure = Await.failure(failed.future());
    long ms = (System.nanoTime() - t0) / 1_000_000;

    StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, failure);
    assertEquals("stall", e.reason());
    assertInstanceOf(ClaudeTimeoutException.class, e.getCause());
    assertTrue(ms >= 300 && ms < 1500, "stall detected after " + ms + " ms");
    assertEquals(
        "token 0 padding-padding-padding-padding-padding-padding-padding-padding",
        e.partialMessage().text());
  }

  @Test
  void pingsKeepAStreamAliveByDefaultButNotWhenConfiguredOtherwise() {
    Handler<HttpServerRequest> pinger =
        req ->
            req.end()
                .onSuccess(
                    v -> {
                      HttpServerResponse resp = sseHead(req);
                      resp.write(START + delta(0));
                      AtomicInteger pings = new AtomicInteger();
                      vertx.setPeriodic(
                          100,
                          t -> {
                            if (resp.closed() || pings.incrementAndGet() > 12) {
                              vertx.cancelTimer(t);
                              if (!resp.closed()) {
                                resp.end(
                                    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
                              }
                              return;
                            }
                            resp.write("event: ping\ndata: {\"type\": \"ping\"}\n\n");
                          });
                    });
    ClaudeClient pingsCount = serve(pinger, 400);
    List<StreamEvent> events =
        Await.result(StreamingTest.collect(pingsCount.stream(StreamingTest.request())).future());
    assertEquals("message_stop", events.get(events.size() - 1).type());

    ClaudeClient pingsIgnored =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl("http://127.0.0.1:" + server.actualPort())
                .setApiKey("k")
                .setMaxRetries(0)
                .setStreamIdleTimeoutMs(400)
                .setStreamPingsAreActivity(false));
    Throwable failure =
        Await.failure(StreamingTest.collect(pingsIgnored.stream(StreamingTest.request())).future());
    assertEquals("stall", assertInstanceOf(StreamInterruptedException.class, failure).reason());
  }
}
