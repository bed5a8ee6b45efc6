package dev.clauderelay.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses the proxy for an endpoint. Pure: no lookup, no environment read.
 *
 * <p>Rules (docs/doctor.md explains the choices):
 *
 * <ul>
 *   <li>The configured {@code proxy} wins over the variables: an explicit setting beats the ambient
 *       one.
 *   <li>Otherwise {@code HTTPS_PROXY} for https endpoints, {@code HTTP_PROXY} for http ones.
 *   <li>{@code NO_PROXY} applies to either. Entries are separated by commas or spaces, compared
 *       without case: {@code *} matches every host; {@code example.com}, {@code .example.com} and
 *       {@code *.example.com} match example.com and every name under it (as curl does); an IP
 *       address matches that address; {@code 10.0.0.0/8} or {@code fd00::/8} matches addresses in
 *       the block; {@code host:port} matches only that port.
 *   <li>Loopback addresses are not bypassed implicitly (unlike Go): a proxy set for everything is
 *       used for everything, which is also what lets a test put a proxy in front of 127.0.0.1.
 * </ul>
 */
public final class ProxySelection {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

  private ProxySelection() {}

  public static ProxyChoice select(ProxySettings settings, Endpoint target) {
    ProxySettings.Setting named =
        settings.configured() != null
            ? settings.configured()
            : target.https() ? settings.https() : settings.http();
    if (named == null) {
      return new ProxyChoice(null, null, null, null);
    }
    String noProxy = settings.noProxy() == null ? null : settings.noProxy().value();
    String entry = matchingEntry(noProxy, target.host(), target.port());
    if (entry != null) {
      return new ProxyChoice(null, named, entry, null);
    }
    try {
      return new ProxyChoice(ProxyEndpoint.parse(named.value()), named, null, null);
    } catch (IllegalArgumentException e) {
      return new ProxyChoice(null, named, null, e.getMessage());
    }
  }

  /**
   * The first entry of a {@code NO_PROXY} list that matches {@code host:port}, as written in the
   * list; null when none does.
   */
  public static String matchingEntry(String noProxy, String host, int port) {
    if (noProxy == null || noProxy.isBlank() || host == null) {
      return null;
    }
    String h = Endpoint.stripBrackets(host.strip()).toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    for (String raw : SEPARATORS.split(noProxy.strip())) {
      if (!raw.isEmpty() && matches(raw.toLowerCase(Locale.ROOT), h, port)) {
        return raw;
      }
    }
    return null;
  }

  private static boolean matches(String entry, String host, int port) {
    if (entry.equals("*")) {
      return true;
    }
    String pattern = entry;
    int entryPort = -1;
    // host:port, [v6]:port; a bare IPv6 address has several colons and no port.
    if (pattern.startsWith("[")) {
      int close = pattern.indexOf(']');
      if (close < 0) {
        return false;
      }
      String rest = pattern.substring(close + 1);
      if (rest.startsWith(":")) {
        entryPort = parsePort(rest.substring(1));
        if (entryPort < 0) {
          return false;
        }
      }
      pattern = pattern.substring(1, close);
    } else if (pattern.chars().filter(c -> c == ':').count() == 1) {
      int colon = pattern.indexOf(':');
      entryPort = parsePort(pattern.substring(colon + 1));
      if (entryPort < 0) {
        return false;
      }
      pattern = pattern.substring(0, colon);
    }
    if (entryPort >= 0 && entryPort != port) {
      return false;
    }
    int slash = pattern.indexOf('/');
    if (slash >= 0) {
      return inBlock(pattern.substring(0, slash), pattern.substring(slash + 1), host);
    }
    byte[] entryIp = ipLiteral(pattern);
    if (entryIp != null) {
      byte[] hostIp = ipLiteral(host);
      return hostIp != null && java.util.Arrays.equals(entryIp, hostIp);
    }
    if (pattern.startsWith("*.")) {
      pattern = pattern.substring(2);
    } else if (pattern.startsWith(".")) {
      pattern = pattern.substring(1);
    }
    if (pattern.endsWith(".")) {
      pattern = pattern.substring(0, pattern.length() - 1);
    }
    return !pattern.isEmpty() && (host.equals(pattern) || host.endsWith("." + pattern));
  }

  private static boolean inBlock(String network, String bits, String host) {
    byte[] net = ipLiteral(network);
    byte[] addr = ipLiteral(host);
    int prefix = parsePort(bits);
    if (net == null || addr == null || net.length != addr.length || prefix < 0) {
      return false;
    }
    if (prefix > net.length * 8) {
      return false;
    }
    for (int i = 0; i < prefix; i++) {
      int mask = 0x80 >> (i % 8);
      if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The address bytes of an IP literal, or null for anything else. Never looks a name up. */
  static byte[] ipLiteral(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    boolean v4 = IPV4.matcher(text).matches();
    // A name never contains ':'; InetAddress parses such text as an IPv6 literal, without DNS.
    if (!v4 && (text.indexOf(':') < 0 || !text.matches("[0-9a-fA-F:.%]+"))) {
      return null;
    }
    if (v4) {
      for (String part : text.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(text);
  }
}
