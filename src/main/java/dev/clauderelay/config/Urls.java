package dev.clauderelay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of the URLs a configuration holds; each check returns a problem text or null. */
final class Urls {
  private static final Pattern USER_INFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@");
  private static final Set<String> HTTP = Set.of("http", "https");

  /** Vert.x's proxy types; the hop to the proxy itself is plain, TLS to the upstream tunnels. */
  private static final Set<String> PROXY = Set.of("http", "socks4", "socks5");

  private Urls() {}

  /** Without trailing slashes, so that appending {@code /v1/messages} gives one slash. */
  static String stripTrailingSlashes(String url) {
    return url == null ? null : url.replaceAll("/+$", "");
  }

  /**
   * The URL with any password (or bare token) and any query masked: safe in errors and /status.
   * Queries go too because some gateways take their key as {@code ?api-key=…}.
   */
  static String redact(String url) {
    if (url == null) {
      return null;
    }
    String out = url;
    var matcher = USER_INFO.matcher(out);
    if (matcher.find()) {
      String userInfo = matcher.group(2);
      int colon = userInfo.indexOf(':');
      String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
      out = matcher.group(1) + masked + "@" + out.substring(matcher.end());
    }
    int query = out.indexOf('?');
    int fragment = out.indexOf('#');
    int cut = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    return cut < 0 ? out : out.substring(0, cut + 1) + "…";
  }

  /**
   * An Anthropic-style API root. It must not hold {@code /v1}: the relay appends {@code
   * /v1/messages} itself, so {@code https://api.anthropic.com/v1} would call {@code
   * /v1/v1/messages} and get a 404 that looks like a wrong key or model.
   */
  static String anthropicBaseUrlProblem(String url) {
    String problem = httpUrlProblem(url);
    if (problem != null) {
      return problem;
    }
    String trimmed = stripTrailingSlashes(url);
    int v1 = trimmed.endsWith("/v1") ? trimmed.length() - 3 : trimmed.indexOf("/v1/");
    if (v1 >= 0 && trimmed.indexOf("://") + 3 < v1) {
      return "must be the API root without /v1, got "
          + redact(url)
          + ": the relay appends /v1/messages itself, so this would call /v1/v1/messages; use "
          + redact(trimmed.substring(0, v1));
    }
    return null;
  }

  /** An absolute http(s) URL with a host and no query or fragment. */
  static String httpUrlProblem(String url) {
    return urlProblem(url, HTTP, "an http:// or https:// URL");
  }

  static String proxyProblem(String url) {
    return urlProblem(
        url, PROXY, "an http://, socks4:// or socks5:// URL such as http://proxy:3128");
  }

  private static String urlProblem(String url, Set<String> schemes, String expected) {
    String shown = "\"" + redact(url) + "\"";
    if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "must be " + expected + " without spaces, got " + shown;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "must be " + expected + ", got " + shown;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    // Authority, not host: java.net.URI leaves the host null for names with '_' (Docker service
    // names), which resolve fine.
    if (!schemes.contains(scheme) || uri.getRawAuthority() == null) {
      return "must be " + expected + ", got " + shown;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment, got " + shown;
    }
    return null;
  }

  /** The port a URL connects to, its scheme's default when none is written. */
  static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
