package dev.clauderelay.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Ends a connection whose request was answered before its body was read (401, 413, 408). Closing at
 * once would make the kernel reset the connection over the unread bytes, and a reset can destroy
 * the answer before the client reads it; so the rest of the body is read and dropped for at most
 * {@link #LINGER_MS}, then the connection is closed. The answer carries {@code connection: close}.
 */
final class EarlyClose {
  /** Longest time spent draining a refused body, milliseconds. */
  static final long LINGER_MS = 2_000;

  private EarlyClose() {}

  /** Call before writing the answer. */
  static void announce(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.response().putHeader("connection", "close");
    }
  }

  /** Call after writing the answer; {@code written} completes when it was written. */
  static void drainAndClose(Vertx vertx, HttpServerRequest request, Future<Void> written) {
    HttpConnection conn = request.connection();
    if (request.isEnded()) {
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, t -> conn.close());
    request.exceptionHandler(t -> {});
    request.handler(chunk -> {});
    request.endHandler(
        v ->
            written.onComplete(
                ar -> {
                  vertx.cancelTimer(timer);
                  conn.close();
                }));
    request.resume();
  }
}
