package dev.clauderelay.doctor;

/** The outcome of one check. Only {@link #FAIL} makes a region (and the exit code) fail. */
public enum CheckStatus {
  PASS("✓", "ok"),
  /** Works, but something deserves attention (e.g. clock skew above 5 s, little rate headroom). */
  WARN("!", "warn"),
  FAIL("✗", "FAIL"),
  /** Not run: an earlier layer failed, or it does not apply (no TLS on http). */
  SKIP("–", "skip");

  private final String symbol;
  private final String ascii;

  CheckStatus(String symbol, String ascii) {
    this.symbol = symbol;
    this.ascii = ascii;
  }

  /** ✓, !, ✗ or –. */
  public String symbol() {
    return symbol;
  }

  /** The symbol for terminals that cannot show it. */
  public String ascii() {
    return ascii;
  }

  /** Lower-case name, as in the JSON output. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
