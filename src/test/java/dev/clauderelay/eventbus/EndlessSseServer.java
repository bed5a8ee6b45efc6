package dev.clauderelay.eventbus;

import dev.clauderelay.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that streams a text delta every few milliseconds until its client goes away, and
 * reports when the connection closed: the observable end of "the upstream request was cancelled".
 */
final class EndlessSseServer {
  private static final String HEAD =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_endless\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
          + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

  private final Promise<Long> closed = Promise.promise();
  private final AtomicInteger written = new AtomicInteger();
  private HttpServer server;

  static EndlessSseServer start(Vertx vertx, long everyMs) {
    EndlessSseServer s = new EndlessSseServer();
    s.server =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.end()
                            .onSuccess(
                                v -> {
                                  HttpServerResponse resp = req.response();
                                  resp.setChunked(true)
                                      .putHeader("content-type", "text/event-stream")
                                      .write(HEAD);
                                  long timer =
                                      vertx.setPeriodic(
                                          everyMs,
                                          t -> {
                                            if (!resp.closed()) {
                                              resp.write(delta(s.written.incrementAndGet()));
                                            }
                                          });
                                  req.connection()
                                      .closeHandler(
                                          c -> {
                                            vertx.cancelTimer(timer);
                                            s.closed.tryComplete(System.nanoTime());
                                          });
                                }))
                .listen(0, "127.0.0.1"));
    return s;
  }

  private static String delta(int i) {
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\" w"
        + i
        + "\"}}\n\n";
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** {@link System#nanoTime()} when the upstream connection closed. */
  Future<Long> closed() {
    return closed.future();
  }

  Future<Void> close() {
    return server.close();
  }
}
