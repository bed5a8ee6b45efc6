package dev.clauderelay.gateway;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused before routing: a request line above {@code
 * maxInitialLineLength} (414), headers above {@code maxHeaderSize} (431), and every malformed
 * shape, among them the request-smuggling ones (both {@code content-length} and {@code
 * transfer-encoding}, an unknown transfer coding, a bad {@code content-length}): 400. Each gets the
 * Anthropic error JSON, then the connection is closed, since where the next request would start is
 * unknown.
 */
final class InvalidRequests {
  private InvalidRequests() {}

  static void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request headers too large";
    } else {
      status = 400;
      message =
          "malformed HTTP request"
              + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    RequestRecord record = new RequestRecord(request.method().name(), "(invalid)", false);
    request.response().putHeader("connection", "close");
    Replies.error(request.response(), record, ErrorReply.local(status, message))
        .onComplete(ar -> request.connection().close());
    AccessLog.outcome(record, status);
  }
}
