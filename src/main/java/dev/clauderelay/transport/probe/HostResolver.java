package dev.clauderelay.transport.probe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Name resolution as the JVM does it (the resolver {@code InetAddress} uses, hosts file included),
 * on a worker thread because it blocks. IP literals need no lookup. Names under {@code .invalid}
 * fail at once without a lookup, as RFC 6761 asks of resolvers, so that tests and misconfigurations
 * get a deterministic DNS failure.
 */
public final class HostResolver {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HostResolver() {}

  /** Whether {@code host} is an IPv4 or IPv6 address rather than a name. */
  public static boolean isLiteral(String host) {
    return host != null && (IPV4.matcher(host).matches() || host.indexOf(':') >= 0);
  }

  /** Whether {@code host} is under the reserved top-level name {@code invalid}. */
  public static boolean isReservedInvalid(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.equals("invalid") || lower.endsWith(".invalid") || lower.endsWith(".invalid.");
  }

  /**
   * All addresses of {@code host}, in the resolver's order (the order connections try them). Fails
   * with {@link UnknownHostException} when the name does not resolve.
   */
  public static Future<List<InetAddress>> resolve(Vertx vertx, String host) {
    if (host == null || host.isEmpty()) {
      return Future.failedFuture(new UnknownHostException("no host name"));
    }
    if (isLiteral(host)) {
      try {
        // A literal is parsed, never looked up.
        return Future.succeededFuture(List.of(InetAddress.getByName(host)));
      } catch (UnknownHostException e) {
        return Future.failedFuture(e);
      }
    }
    if (isReservedInvalid(host)) {
      return Future.failedFuture(
          new UnknownHostException(host + ": reserved name that never resolves (RFC 6761)"));
    }
    return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
  }

  /**
   * The address to connect to: {@code address}, still carrying {@code host}'s name. Vert.x checks a
   * TLS certificate against the host the socket was connected to (not the server name given to
   * {@code upgradeToSsl}), so a socket connected to a bare IP would be checked against the IP and
   * fail for every certificate issued to a name.
   */
  public static SocketAddress socketAddress(String host, InetAddress address, int port) {
    if (isLiteral(host)) {
      return SocketAddress.inetSocketAddress(new InetSocketAddress(address, port));
    }
    try {
      // getByAddress never looks anything up: it only attaches the name.
      InetAddress named = InetAddress.getByAddress(host, address.getAddress());
      return SocketAddress.inetSocketAddress(new InetSocketAddress(named, port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address of " + host + ": " + address, e);
    }
  }
}
