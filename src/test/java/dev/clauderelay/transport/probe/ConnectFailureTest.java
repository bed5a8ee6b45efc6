package dev.clauderelay.transport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.ProxyConnectException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exception shapes Netty and the JDK produce for a failed connect, and what they mean. */
class ConnectFailureTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            new ConnectException("Connection refused: /127.0.0.1:1"), ConnectFailure.REFUSED),
        Arguments.of(
            new RuntimeException(new ConnectException("Connection refused")),
            ConnectFailure.REFUSED),
        Arguments.of(
            new ConnectTimeoutException("connection timed out after 500 ms: /10.255.255.1:443"),
            ConnectFailure.TIMED_OUT),
        Arguments.of(new TimeoutException("no answer within 500 ms"), ConnectFailure.TIMED_OUT),
        Arguments.of(new NoRouteToHostException("No route to host"), ConnectFailure.UNREACHABLE),
        Arguments.of(new ConnectException("Network is unreachable"), ConnectFailure.UNREACHABLE),
        Arguments.of(
            new ProxyConnectException(
                "http, none, /127.0.0.1:3128 => api.anthropic.com:443, status: 407 Proxy"
                    + " Authentication Required"),
            ConnectFailure.PROXY_AUTH),
        Arguments.of(
            new ProxyConnectException(
                "http, none, /127.0.0.1:3128 => api.anthropic.com:443, status: 403 Forbidden"),
            ConnectFailure.PROXY_REFUSED),
        Arguments.of(
            new ProxyConnectException("http, none, /127.0.0.1:3128 => a:443, timeout"),
            ConnectFailure.TIMED_OUT),
        Arguments.of(new UnknownHostException("proxy.invalid"), ConnectFailure.PROXY_UNRESOLVED),
        Arguments.of(new IllegalStateException("weird"), ConnectFailure.OTHER));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("cases")
  void classifies(Throwable failure, ConnectFailure expected) {
    assertEquals(expected, ConnectFailure.classify(failure));
  }
}
