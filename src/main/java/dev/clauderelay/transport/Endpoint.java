package dev.clauderelay.transport;

import java.net.URI;
import java.util.Locale;

/**
 * Where a base URL connects to: scheme, host (without IPv6 brackets) and port (the scheme's default
 * when none is written). Pure.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host host name or IP literal, lower case, never bracketed
 * @param port TCP port
 */
public record Endpoint(String scheme, String host, int port) {

  /**
   * Parses {@code baseUrl}.
   *
   * @throws IllegalArgumentException when it is not an http(s) URL with a host
   */
  public static Endpoint of(String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not a URL: " + baseUrl, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http:// or https:// URL: " + baseUrl);
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + baseUrl);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return new Endpoint(scheme, stripBrackets(host).toLowerCase(Locale.ROOT), port);
  }

  public boolean https() {
    return scheme.equals("https");
  }

  /** {@code host:port}, IPv6 hosts bracketed. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  static String stripBrackets(String host) {
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }
}
