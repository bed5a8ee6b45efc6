package dev.clauderelay.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body under two limits, counted as the bytes arrive: {@code maxBodyBytes} (a
 * declared {@code content-length} above it is refused before a byte is read; a chunked body is cut
 * when it passes it) and {@code bodyTimeoutMs} from the headers to the last byte. Either failure is
 * answered here (413 or 408) and the connection closed, since the rest of the body is not wanted.
 */
final class BodyReader {
  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMs;

  /** What a handler does once the body is in. */
  interface Answer {
    /** Writes an error reply and returns when it was written. */
    Future<Void> error(ErrorReply reply);
  }

  BodyReader(Vertx vertx, long maxBytes, long timeoutMs) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.timeoutMs = timeoutMs;
  }

  /** Reads {@code request}'s body (which must be paused or not yet read) into {@code onBody}. */
  void read(HttpServerRequest request, Answer answer, Handler<Buffer> onBody) {
    if (request.isEnded()) {
      onBody.handle(Buffer.buffer());
      return;
    }
    long declared = declaredLength(request);
    if (declared > maxBytes) {
      refuse(request, true, answer, tooLarge(declared));
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
      request.response().writeContinue();
    }
    Buffer body = Buffer.buffer((int) Math.max(0, Math.min(declared, 64 * 1024)));
    boolean[] done = {false};
    long[] timer = {-1};
    request.exceptionHandler(
        t -> {
          done[0] = true;
          cancel(timer);
        });
    request.handler(
        chunk -> {
          if (done[0]) {
            return;
          }
          if ((long) body.length() + chunk.length() > maxBytes) {
            done[0] = true;
            cancel(timer);
            refuse(request, true, answer, tooLarge(-1));
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (!done[0]) {
            done[0] = true;
            cancel(timer);
            onBody.handle(body);
          }
        });
    request.resume();
    // A small body usually came with the headers and is delivered by resume() itself: the deadline
    // timer is only armed for a body still on its way.
    if (!done[0]) {
      timer[0] =
          vertx.setTimer(
              timeoutMs,
              t -> {
                timer[0] = -1;
                if (!done[0]) {
                  done[0] = true;
                  // Everything that arrived was read: closing now loses nothing, and a slow client
                  // gets no extra time.
                  refuse(
                      request,
                      false,
                      answer,
                      ErrorReply.local(
                          408,
                          "request body not received within "
                              + timeoutMs
                              + " ms ("
                              + body.length()
                              + " bytes arrived)"));
                }
              });
    }
  }

  private void cancel(long[] timer) {
    if (timer[0] >= 0) {
      vertx.cancelTimer(timer[0]);
      timer[0] = -1;
    }
  }

  private void refuse(HttpServerRequest request, boolean linger, Answer answer, ErrorReply reply) {
    EarlyClose.announce(request);
    Future<Void> written = answer.error(reply);
    if (request.isEnded() || !linger) {
      written.onComplete(ar -> request.connection().close());
    } else {
      EarlyClose.drainAndClose(vertx, request, written);
    }
  }

  private ErrorReply tooLarge(long declared) {
    return ErrorReply.local(
        413,
        "request body "
            + (declared >= 0 ? "of " + declared + " bytes " : "")
            + "is larger than the gateway accepts (gateway.maxBodyBytes = "
            + maxBytes
            + ")");
  }

  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader("content-length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      // Netty refuses a malformed content-length before a request reaches us.
      return -1;
    }
  }
}
