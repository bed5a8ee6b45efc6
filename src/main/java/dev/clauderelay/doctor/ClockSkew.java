package dev.clauderelay.doctor;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The local clock against the server's {@code Date} header. A skewed clock breaks TLS validity
 * checks and makes rate-limit reset times wrong. Pure.
 */
final class ClockSkew {
  /** Above this, the line is a warning (the threshold). */
  static final long WARN_MS = 5_000;

  private ClockSkew() {}

  /**
   * @param date the {@code Date} header, or null
   * @param sentMs local epoch ms when the request was sent
   * @param receivedMs local epoch ms when the answer arrived
   */
  static CheckResult check(String date, long sentMs, long receivedMs) {
    if (date == null || date.isBlank()) {
      return CheckResult.skip(CheckId.CLOCK, "not measured (the answer has no Date header)");
    }
    long serverMs;
    try {
      serverMs =
          ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant()
              .toEpochMilli();
    } catch (DateTimeParseException e) {
      return CheckResult.skip(CheckId.CLOCK, "not measured (unparsable Date header: " + date + ")");
    }
    // Date has whole seconds: the server's time was within [date, date + 1 s) while answering,
    // which happened somewhere between sending and receiving.
    long serverMid = serverMs + 500;
    long localMid = sentMs + (receivedMs - sentMs) / 2;
    long skew = localMid - serverMid;
    long uncertainty = 500 + (receivedMs - sentMs) / 2;
    long excess = Math.abs(skew) - uncertainty;
    String text =
        "local clock "
            + (Math.abs(skew) < 1000
                ? "within 1 s of"
                : seconds(Math.abs(skew)) + (skew > 0 ? " ahead of" : " behind"))
            + " the server's Date (±"
            + seconds(uncertainty)
            + ")";
    CheckResult result =
        excess > WARN_MS
            ? CheckResult.warn(
                CheckId.CLOCK,
                text,
                "a clock off by more than 5 s makes certificate validity checks and rate-limit"
                    + " reset times wrong",
                "synchronise the clock with NTP (timedatectl set-ntp true, or w32tm /resync)")
            : CheckResult.pass(CheckId.CLOCK, text);
    return result.with("skewMs", skew).with("uncertaintyMs", uncertainty);
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
