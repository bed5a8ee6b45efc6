package dev.clauderelay.stream;

import java.util.Locale;

/**
 * A job's progress at one moment, and its rendering: a bar for a terminal, a plain line otherwise.
 *
 * @param done chunks in the output (those already there at the start included)
 * @param doneAtStart chunks already in the output when this run started
 * @param total all chunks, or -1 until the whole input was read
 * @param read chunks read so far
 * @param inputFraction share of the input bytes read, 0..1 (estimates the total before it is known)
 * @param failed error lines in the output
 * @param inputTokens input tokens of this run's answers
 * @param outputTokens output tokens of this run's answers
 * @param elapsedMs since this run started
 */
record ProgressSnapshot(
    long done,
    long doneAtStart,
    long total,
    long read,
    double inputFraction,
    long failed,
    long inputTokens,
    long outputTokens,
    long elapsedMs) {

  private static final int BAR_WIDTH = 24;

  /** The total, or an estimate from the share of input read (-1 when there is none yet). */
  long expectedTotal() {
    if (total >= 0) {
      return total;
    }
    if (inputFraction <= 0) {
      return -1;
    }
    return Math.max(read, Math.round(read / inputFraction));
  }

  /** Chunks per second answered (or copied) by this run. */
  double rate() {
    return elapsedMs <= 0 ? 0 : (done - doneAtStart) * 1000.0 / elapsedMs;
  }

  /** Seconds left at the current rate, or -1 when unknown. */
  long etaSeconds() {
    long expected = expectedTotal();
    double rate = rate();
    if (expected < 0 || rate <= 0) {
      return -1;
    }
    return Math.round(Math.max(0, expected - done) / rate);
  }

  String line() {
    return "batch: " + counts() + details();
  }

  /** One bar, drawn over the previous one ({@code \r}, padded so a shorter one leaves no trace). */
  String bar() {
    long expected = expectedTotal();
    int filled =
        expected <= 0 ? 0 : (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / Math.max(1, expected));
    String text =
        "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + counts() + details();
    return "\r" + text + " ".repeat(Math.max(0, 100 - text.length()));
  }

  private String counts() {
    long expected = expectedTotal();
    if (expected < 0) {
      return done + " chunks";
    }
    String approx = total >= 0 ? "" : "~";
    long percent = expected == 0 ? 100 : Math.min(100, done * 100 / expected);
    return done + "/" + approx + expected + " chunks (" + approx + percent + "%)";
  }

  private String details() {
    long eta = etaSeconds();
    return (failed > 0 ? ", " + failed + " failed" : "")
        + ", tokens "
        + compact(inputTokens)
        + " in / "
        + compact(outputTokens)
        + " out, "
        + String.format(Locale.ROOT, "%.1f", rate())
        + " chunks/s"
        + (eta < 0 ? "" : ", ETA " + duration(eta));
  }

  static String compact(long n) {
    if (n < 1000) {
      return Long.toString(n);
    }
    if (n < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fk", n / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1fM", n / 1_000_000.0);
  }

  static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
