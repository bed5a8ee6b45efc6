package dev.clauderelay.transport;

import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns the many low-level ways a socket fails into the relay's typed exceptions. */
final class FailureMapper {
  private FailureMapper() {}

  static ClaudeException map(Throwable t, String url, boolean headersReceived) {
    if (t instanceof ClaudeException ce) {
      return ce;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnknownHostException) {
        return new ConnectionException(
            ConnectionException.Kind.DNS,
            "cannot resolve host of " + url + ": " + c.getMessage(),
            t);
      }
      if (c instanceof io.netty.channel.ConnectTimeoutException) {
        return new ClaudeTimeoutException(
            ClaudeTimeoutException.Phase.CONNECT, "connect to " + url + " timed out");
      }
      if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
        return new ConnectionException(
            ConnectionException.Kind.REFUSED,
            "cannot connect to " + url + ": " + c.getMessage(),
            t);
      }
      if (c instanceof SSLException) {
        return new ConnectionException(
            ConnectionException.Kind.TLS,
            "TLS handshake with " + url + " failed: " + c.getMessage(),
            t);
      }
      if (c instanceof TimeoutException) {
        return new ClaudeTimeoutException(
            headersReceived
                ? ClaudeTimeoutException.Phase.BODY
                : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
            (headersReceived ? "response body from " : "response from ")
                + url
                + " stalled: "
                + c.getMessage());
      }
      if (c instanceof HttpClosedException
          || c instanceof StreamResetException
          || c instanceof ClosedChannelException) {
        return new ConnectionException(
            ConnectionException.Kind.CLOSED,
            "connection to "
                + url
                + " closed "
                + (headersReceived ? "while reading the body" : "before a response"),
            t);
      }
    }
    return new ConnectionException(
        ConnectionException.Kind.OTHER, "request to " + url + " failed: " + t, t);
  }
}
