package dev.clauderelay.transport.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a TCP connect (directly, or to a proxy and through its tunnel) failed, read from the
 * exception chain Netty and the JDK produce. Pure.
 */
public enum ConnectFailure {
  /** The host answered with a reset: nothing listens on the port, or a firewall rejects. */
  REFUSED,
  /** No answer at all: packets are dropped, typically by a firewall. */
  TIMED_OUT,
  /** No route to the host or network: VPN, routing, offline. */
  UNREACHABLE,
  /** The proxy's host name does not resolve. */
  PROXY_UNRESOLVED,
  /** The proxy asked for credentials (407). */
  PROXY_AUTH,
  /** The proxy answered, but would not open a tunnel (403, 502, …). */
  PROXY_REFUSED,
  /** Anything else. */
  OTHER;

  private static final Pattern STATUS = Pattern.compile("status: (\\d{3})");

  public static ConnectFailure classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = message(t);
      boolean proxyFailure = t.getClass().getName().endsWith("ProxyConnectException");
      if (proxyFailure) {
        String status = proxyStatus(t);
        if ("407".equals(status)) {
          return PROXY_AUTH;
        }
        if (status != null) {
          return PROXY_REFUSED;
        }
        if (m.contains("timeout")) {
          return TIMED_OUT;
        }
      }
      if (t.getClass().getName().endsWith("ConnectTimeoutException")
          || t instanceof TimeoutException
          || m.contains("connection timed out")) {
        return TIMED_OUT;
      }
      if (t instanceof NoRouteToHostException
          || m.contains("no route to host")
          || m.contains("network is unreachable")
          || m.contains("host is unreachable")) {
        return UNREACHABLE;
      }
      if (t instanceof ConnectException || m.contains("connection refused")) {
        return REFUSED;
      }
      if (t instanceof UnknownHostException) {
        return PROXY_UNRESOLVED;
      }
    }
    return OTHER;
  }

  /** The status a proxy answered to CONNECT, as text (e.g. {@code 403}), or null. */
  public static String proxyStatus(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      Matcher m = STATUS.matcher(t.getMessage() == null ? "" : t.getMessage());
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
  }
}
