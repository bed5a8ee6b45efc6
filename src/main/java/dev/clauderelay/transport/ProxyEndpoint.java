package dev.clauderelay.transport;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A parsed proxy URL: {@code http://[user:password@]host[:port]}, {@code socks4://…} or {@code
 * socks5://…}. A value without a scheme ({@code proxy:3128}, common in {@code HTTPS_PROXY}) is read
 * as {@code http://}, as curl does. A missing port is the scheme's default (80 for http, 1080 for
 * socks), as Go's proxy support does. Pure; {@link #toString()} never shows the password.
 */
public record ProxyEndpoint(
    ProxyType type, String host, int port, String username, String password) {

  /**
   * Parses a proxy URL.
   *
   * @throws IllegalArgumentException naming the problem, with the URL's password masked
   */
  public static ProxyEndpoint parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("empty proxy URL");
    }
    String text = url.strip();
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("proxy URL " + redact(text) + " contains spaces");
    }
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("proxy URL " + redact(text) + " is not a URL", e);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    ProxyType type =
        switch (scheme) {
          case "http" -> ProxyType.HTTP;
          case "socks4", "socks4a" -> ProxyType.SOCKS4;
          case "socks5", "socks5h" -> ProxyType.SOCKS5;
          case "https" ->
              throw new IllegalArgumentException(
                  "proxy URL "
                      + redact(text)
                      + " uses https://: a proxy reached over TLS is not supported; use"
                      + " http:// (the CONNECT tunnel still carries TLS end to end)");
          default ->
              throw new IllegalArgumentException(
                  "proxy URL "
                      + redact(text)
                      + " has the scheme "
                      + scheme
                      + ":// ; use http://, socks4:// or socks5://");
        };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("proxy URL " + redact(text) + " has no host");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "proxy URL " + redact(text) + " has a path or query; a proxy URL is scheme://host:port");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : type == ProxyType.HTTP ? 80 : 1080;
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    return new ProxyEndpoint(type, Endpoint.stripBrackets(host), port, user, password);
  }

  /** The Vert.x options for this proxy; the connect timeout is the client's. */
  public ProxyOptions toProxyOptions() {
    ProxyOptions options = new ProxyOptions().setType(type).setHost(host).setPort(port);
    if (username != null) {
      options.setUsername(username);
    }
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  /** E.g. {@code http://user:***@proxy:3128}. */
  @Override
  public String toString() {
    String scheme =
        type == ProxyType.HTTP ? "http" : type == ProxyType.SOCKS4 ? "socks4" : "socks5";
    // A user name alone may be a token (http://TOKEN@proxy): masked like a password.
    String auth = username == null ? "" : (password == null ? "***" : username + ":***") + "@";
    String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme + "://" + auth + shownHost + ":" + port;
  }

  /** The proxy URL with any password masked: the only form that may appear in output. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = url.indexOf('@', start);
    int slash = url.indexOf('/', start);
    if (at < 0 || (slash >= 0 && slash < at)) {
      return url;
    }
    String userInfo = url.substring(start, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return url.substring(0, start) + masked + url.substring(at);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
