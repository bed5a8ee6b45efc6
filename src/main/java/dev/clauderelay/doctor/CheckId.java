package dev.clauderelay.doctor;

/** The checks of a region, in the order they run. The chain stops at the first failure. */
public enum CheckId {
  API_KEY("api-key", "API key"),
  BASE_URL("base-url", "base URL"),
  ANTHROPIC_VERSION("anthropic-version", "anthropic-version"),
  PROXY("proxy", "proxy"),
  CA_BUNDLE("ca-bundle", "CA bundle"),
  DNS("dns", "DNS"),
  TCP("tcp", "TCP"),
  TLS("tls", "TLS"),
  HTTP("http", "HTTP + auth"),
  RATE_LIMIT("rate-limit", "rate limits"),
  CLOCK("clock", "clock skew"),
  LATENCY("latency", "latency");

  private final String id;
  private final String title;

  CheckId(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** Stable identifier of the JSON output, e.g. {@code api-key}. */
  public String id() {
    return id;
  }

  /** Name shown in the text output. */
  public String title() {
    return title;
  }
}
