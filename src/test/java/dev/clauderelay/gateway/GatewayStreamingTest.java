package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.Fixtures;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SSE through the gateway: failures after the stream started become {@code event: error} frames; a
 * slow reader pauses the upstream; a client that leaves cancels the upstream request.
 */
class GatewayStreamingTest {
  private static final String START =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_gw\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
          + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

  private static final long FLOOD_WATCH_MS = 1_000;

  private GatewayHarness h;
  private Vertx upstreamVertx;
  private HttpServer upstream;

  @AfterEach
  void stop() {
    try {
      if (h != null) {
        h.close();
      }
    } finally {
      if (upstreamVertx != null) {
        Await.result(upstreamVertx.close());
      }
    }
  }

  private static String delta(int i) {
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token "
        + i
        + " padding-padding-padding-padding-padding-padding-padding-padding\"}}\n\n";
  }

  private static String streamRequest(String token) {
    String body = GatewayHarness.message("stream please").put("stream", true).encode();
    return "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
        + token
        + "\r\ncontent-type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /**
   * A gateway over a raw SSE upstream that the test controls (and observes) write by write. The
   * upstream runs on a Vert.x of its own: it is not the code under watch, and a producer writing as
   * fast as it can would otherwise share the watched event loops.
   */
  private void overUpstream(Handler<HttpServerRequest> handler, GatewayOptions options) {
    overUpstream(handler, options, GatewayHarness.WATCH_MS);
  }

  private void overUpstream(
      Handler<HttpServerRequest> handler, GatewayOptions options, long watchMs) {
    upstreamVertx = Vertx.vertx();
    // A small send buffer: the kernel must not absorb megabytes before the server notices.
    upstream =
        Await.result(
            upstreamVertx
                .createHttpServer(new HttpServerOptions().setSendBufferSize(32 * 1024))
                .requestHandler(handler)
                .listen(0, "127.0.0.1"));
    h =
        GatewayHarness.over(
            vertx -> "http://127.0.0.1:" + upstream.actualPort(),
            options,
            o -> o.setMaxRetries(0).setStreamIdleTimeoutMs(60_000),
            watchMs);
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    resp.putHeader("request-id", "req_upstream_1");
    return resp;
  }

  @Test
  void aMidStreamCutBecomesAnErrorFrameNeverACleanEnd() {
    h = GatewayHarness.start();
    String text = Fixtures.sse("stream-text.sse");
    String cut = text.substring(0, text.indexOf("event: content_block_stop"));
    h.sim.enqueue(ScriptedResponse.sseThenCut(cut));

    try (RawSocket s = RawSocket.connect(h.vertx, h.port())) {
      s.send(streamRequest(GatewayHarness.TOKEN));
      String response = s.awaitReceived("event: error", 10_000);
      s.awaitReceived("\r\n0\r\n\r\n", 5_000);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.contains("content-type: text/event-stream"), response);
      assertTrue(response.contains("x-relay-region: anthropic"), response);
      assertTrue(response.contains(" on an event loop, so never"), "deltas before the cut");
      assertFalse(response.contains("message_stop"), response);
      String afterError = s.received().substring(s.received().indexOf("event: error"));
      String data =
          afterError.substring(afterError.indexOf("data: ") + 6, afterError.indexOf("\n\n"));
      JsonObject error = new JsonObject(data);
      assertEquals("error", error.getString("type"));
      assertEquals("api_error", error.getJsonObject("error").getString("type"));
      assertTrue(error.getString("request_id").startsWith("req_"), data);
    }
  }

  @Test
  void anUpstreamErrorEventMidStreamIsPassedOnAsOne() {
    h = GatewayHarness.start();
    h.sim.enqueue(ScriptedResponse.sse(Fixtures.sse("stream-error-midstream.sse")));

    try (RawSocket s = RawSocket.connect(h.vertx, h.port())) {
      s.send(streamRequest(GatewayHarness.TOKEN));
      String response = s.awaitReceived("event: error", 10_000);
      s.awaitReceived("\r\n0\r\n\r\n", 5_000);
      String afterError = s.received().substring(response.indexOf("event: error"));
      assertTrue(afterError.contains("\"overloaded_error\""), afterError);
      assertFalse(s.received().contains("message_stop"));
    }
  }

  @Test
  void theSdkSeesTheErrorFrameAsAnException() {
    h = GatewayHarness.start();
    String text = Fixtures.sse("stream-text.sse");
    h.sim.enqueue(
        ScriptedResponse.sseThenCut(text.substring(0, text.indexOf("event: content_block_stop"))));
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("claude-sonnet-4-6")
            .maxTokens(16)
            .addUserMessage("x")
            .build();

    assertThrows(
        SseException.class,
        () -> {
          try (StreamResponse<RawMessageStreamEvent> stream =
              h.sdk().messages().createStreaming(params)) {
            stream.stream().forEach(e -> {});
          }
        });
  }

  @Test
  void aSlowReaderPausesTheUpstreamAndKeepsTheHeapFlat() {
    int total = 200_000;
    AtomicInteger written = new AtomicInteger();
    AtomicInteger queueFullSeen = new AtomicInteger();
    // System.nanoTime() since when the upstream waits for a drain; 0 while it writes.
    AtomicLong waitingSince = new AtomicLong();
    overUpstream(
        req ->
            req.end()
                .onSuccess(
                    v -> {
                      HttpServerResponse resp = sseHead(req);
                      resp.write(START);
                      Runnable[] pump = new Runnable[1];
                      // As fast as it can, in slices so the upstream's own loop is not blocked.
                      pump[0] =
                          () -> {
                            waitingSince.set(0);
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
                              waitingSince.set(System.nanoTime());
                              resp.drainHandler(d -> pump[0].run());
                            } else {
                              upstreamVertx.runOnContext(n -> pump[0].run());
                            }
                          };
                      pump[0].run();
                    }),
        GatewayHarness.options().setIdleTimeoutMs(30_000),
        // The relay is flooded at full speed here, on a machine that may be busy with other
        // builds: a scheduler stall must not read as a block. A blocking call still shows.
        FLOOD_WATCH_MS);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();

    try (RawSocket s =
        RawSocket.connect(
            h.vertx, h.port(), new NetClientOptions().setReceiveBufferSize(16 * 1024))) {
      s.send(streamRequest(GatewayHarness.TOKEN));
      s.awaitReceived("token 0 ", 10_000);
      s.pause();
      int paused = awaitPaused(waitingSince, written);

      System.gc();
      long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
      assertTrue(queueFullSeen.get() > 0, "the upstream saw its write queue full");
      assertTrue(paused < total / 2, "the upstream could write " + paused + " of " + total);
      assertTrue(heapGrowth < 32 * 1024 * 1024, "heap grew " + heapGrowth / 1024 + " KiB");

      s.resume();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (written.get() <= paused && System.nanoTime() < deadline) {
        Await.result(h.vertx.timer(20));
      }
      assertTrue(written.get() > paused, "reading again resumed the upstream");
    }
  }

  /**
   * Waits until the upstream has been stuck on a full write queue for a whole second (the kernel
   * buffers on the way are full and nobody reads); returns how much it wrote until then.
   */
  private int awaitPaused(AtomicLong waitingSince, AtomicInteger written) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      long since = waitingSince.get();
      if (since != 0 && System.nanoTime() - since >= 1_000_000_000L) {
        return written.get();
      }
      Await.result(h.vertx.timer(100));
    }
    throw new AssertionError("the upstream never paused; it wrote " + written.get());
  }

  @Test
  void aClientThatLeavesClosesTheUpstreamConnectionWithinOneSecond() {
    AtomicLong upstreamClosedAt = new AtomicLong();
    Promise<Void> closed = Promise.promise();
    overUpstream(
        req ->
            req.end()
                .onSuccess(
                    v -> {
                      sseHead(req).write(START + delta(0));
                      req.connection()
                          .closeHandler(
                              c -> {
                                upstreamClosedAt.set(System.nanoTime());
                                closed.tryComplete();
                              });
                    }),
        GatewayHarness.options());

    RawSocket s = RawSocket.connect(h.vertx, h.port());
    s.send(streamRequest(GatewayHarness.TOKEN));
    s.awaitReceived("token 0 ", 10_000);
    long leftAt = System.nanoTime();
    s.close();
    Await.result(closed.future());

    long ms = (upstreamClosedAt.get() - leftAt) / 1_000_000;
    assertTrue(ms < 1000, "upstream closed " + ms + " ms after the client left");
  }

  @Test
  void aQuietStreamIsKeptAliveWithPings() {
    overUpstream(
        req -> req.end().onSuccess(v -> sseHead(req).write(START + delta(0))),
        GatewayHarness.options().setPingIntervalMs(100));

    try (RawSocket s = RawSocket.connect(h.vertx, h.port())) {
      s.send(streamRequest(GatewayHarness.TOKEN));
      s.awaitReceived("token 0 ", 10_000);
      String response = s.awaitReceived("event: ping", 3_000);
      assertTrue(response.contains("request-id: req_upstream_1"), response);
    }
  }
}
