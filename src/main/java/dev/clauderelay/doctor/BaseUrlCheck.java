package dev.clauderelay.doctor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The pitfalls of a base URL: a {@code /v1} the relay appends again, a {@code /v2} that does not
 * exist, an endpoint instead of the root, stray spaces, plain http over the internet. Pure.
 */
final class BaseUrlCheck {
  private static final Pattern VERSION_SEGMENT =
      Pattern.compile("(?i)(^|.*/)(v\\d+[a-z0-9]*)(/.*|$)");
  private static final Pattern ENDPOINT_SEGMENT =
      Pattern.compile("(?i)(^|.*/)(messages|models|complete)(/.*|$)");

  private BaseUrlCheck() {}

  static CheckResult check(String raw) {
    if (raw == null || raw.isEmpty()) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          "no base URL",
          "the region has an empty baseUrl",
          "set baseUrl: https://api.anthropic.com (or remove the key for that default)");
    }
    if (raw.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          "\"" + raw + "\" contains spaces or line breaks",
          "a stray space (often from copying, or a YAML value with a trailing space in quotes)"
              + " makes the URL invalid or a different host",
          "write it without spaces: \"" + raw.replaceAll("\\s+", "") + "\"");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " is not a URL",
          e.getMessage(),
          "use the API root, e.g. https://api.anthropic.com");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || host == null) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " is not an http:// or https:// URL with a host",
          "the relay needs an absolute URL such as https://api.anthropic.com",
          "add the scheme and host: https://api.anthropic.com");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " has a query or fragment",
          "the relay appends /v1/… to the base URL; a query would end up in the middle",
          "remove everything from '?' or '#'");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String root = scheme + "://" + uri.getRawAuthority();
    var version = VERSION_SEGMENT.matcher(path);
    if (version.matches()) {
      String segment = version.group(2);
      String prefix =
          path.substring(0, path.length() - version.group(3).length() - segment.length());
      String fixed = root + prefix.replaceAll("/+$", "");
      boolean v1 = segment.equalsIgnoreCase("v1");
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " contains /" + segment,
          v1
              ? "the relay appends /v1/models and /v1/messages itself, so this calls"
                  + " /v1/v1/models and gets 404 not_found_error, which looks like a bad key or model"
              : "the Anthropic API has no /" + segment + "; the relay appends /v1/… itself",
          "set baseUrl to " + fixed);
    }
    if (ENDPOINT_SEGMENT.matcher(path).matches()) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " is an endpoint, not the API root",
          "the relay appends /v1/messages or /v1/models to the base URL",
          "set baseUrl to the root, e.g. " + root);
    }
    if (host.equals("anthropic.com")
        || host.equals("www.anthropic.com")
        || host.equals("console.anthropic.com")
        || host.equals("claude.ai")) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          host + " is a website, not the API",
          "the Anthropic API is served at api.anthropic.com",
          "set baseUrl to https://api.anthropic.com");
    }
    if (scheme.equals("http") && host.endsWith("anthropic.com")) {
      return CheckResult.fail(
          CheckId.BASE_URL,
          raw + " uses plain http",
          host + " serves HTTPS only; plain http would also send the key unencrypted",
          "use https://" + uri.getRawAuthority());
    }
    String calls = root + path + "/v1/models";
    if (scheme.equals("http") && !isLocal(host)) {
      return CheckResult.warn(
              CheckId.BASE_URL,
              raw + " (GET " + calls + ")",
              "plain http to a host that is not this machine: the key travels unencrypted",
              "use https:// unless this is a gateway on a trusted private network")
          .with("probeUrl", calls);
    }
    String note = path.isEmpty() ? "" : ", path prefix " + path + " kept (a gateway's prefix)";
    return CheckResult.pass(CheckId.BASE_URL, raw + " (GET " + calls + note + ")")
        .with("probeUrl", calls);
  }

  private static boolean isLocal(String host) {
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }
}
