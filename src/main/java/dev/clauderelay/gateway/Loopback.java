package dev.clauderelay.gateway;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a bind host serves this machine only. Decided from the text alone (no DNS lookup: this
 * runs at startup on an event loop): {@code localhost}, {@code 127.x.y.z}, {@code ::1}.
 */
final class Loopback {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern IPV6_LOOPBACK = Pattern.compile("(0{0,4}:){2,7}0{0,3}1");

  private Loopback() {}

  static boolean isLoopback(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.equals("localhost.")
        || IPV4_LOOPBACK.matcher(h).matches()
        || h.equals("::1")
        || IPV6_LOOPBACK.matcher(h).matches();
  }
}
