package dev.clauderelay.degrade;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The local model's failures in the relay's vocabulary ({@code api.error}), so the caller handles
 * them as it handles a region's. (The transport has its own mapper; {@code degrade} may not use
 * it.)
 */
final class LocalModelFailures {
  private LocalModelFailures() {}

  static ClaudeException socket(Throwable t, String url, boolean headersReceived) {
    if (t instanceof ClaudeException ce) {
      return ce;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnknownHostException) {
        return new ConnectionException(
            ConnectionException.Kind.DNS, "cannot resolve the local model's host " + url, t);
      }
      if (c instanceof io.netty.channel.ConnectTimeoutException) {
        return new ClaudeTimeoutException(
            ClaudeTimeoutException.Phase.CONNECT, "connect to local model " + url + " timed out");
      }
      if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
        return new ConnectionException(
            ConnectionException.Kind.REFUSED, "cannot connect to local model " + url, t);
      }
      if (c instanceof SSLException) {
        return new ConnectionException(
            ConnectionException.Kind.TLS, "TLS with local model " + url + " failed", t);
      }
      if (c instanceof TimeoutException) {
        return new ClaudeTimeoutException(
            headersReceived
                ? ClaudeTimeoutException.Phase.BODY
                : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
            "local model " + url + " stalled");
      }
      if (c instanceof HttpClosedException
          || c instanceof StreamResetException
          || c instanceof ClosedChannelException) {
        return new ConnectionException(
            ConnectionException.Kind.CLOSED, "local model " + url + " closed the connection", t);
      }
    }
    return new ConnectionException(
        ConnectionException.Kind.OTHER, "request to local model " + url + " failed: " + t, t);
  }

  /** An error status; the OpenAI error body ({@code {"error":{"message","type"}}}) is kept. */
  static ApiException status(int status, MultiMap headers, Buffer body) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach(h -> lower.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    return ApiException.of(status, ErrorBody.parse(body), lower, null);
  }
}
