package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves before a non-streamed answer cancels the call: the upstream request is
 * reset, so a long generation nobody will read stops spending tokens.
 */
class GatewayCancelTest {
  private GatewayHarness h;
  private Vertx upstreamVertx;

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

  @Test
  void aClientThatLeavesBeforeTheAnswerClosesTheUpstreamRequestWithinOneSecond() {
    Promise<Void> received = Promise.promise();
    Promise<Void> closed = Promise.promise();
    AtomicLong closedAt = new AtomicLong();
    upstreamVertx = Vertx.vertx();
    // An upstream still "generating": it reads the request and never answers.
    HttpServer upstream =
        Await.result(
            upstreamVertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.end()
                            .onSuccess(
                                v -> {
                                  req.connection()
                                      .closeHandler(
                                          c -> {
                                            closedAt.set(System.nanoTime());
                                            closed.tryComplete();
                                          });
                                  received.tryComplete();
                                }))
                .listen(0, "127.0.0.1"));
    h =
        GatewayHarness.over(
            v -> "http://127.0.0.1:" + upstream.actualPort(),
            GatewayHarness.options(),
            o -> o.setMaxRetries(0));

    String body = GatewayHarness.message("a long essay, please").encode();
    RawSocket client = RawSocket.connect(h.vertx, h.port());
    client.send(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
            + GatewayHarness.TOKEN
            + "\r\ncontent-type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
    Await.result(received.future());
    long leftAt = System.nanoTime();
    client.close();
    Await.result(closed.future());

    long ms = (closedAt.get() - leftAt) / 1_000_000;
    assertTrue(ms < 1000, "upstream closed " + ms + " ms after the client left");
  }
}
