package dev.clauderelay.api.error;

/** No usable HTTP response: DNS, refused, reset, TLS, or the connection closed mid-response. */
public final class ConnectionException extends ClaudeException {
  /** What failed, so callers (and {@code doctor}) can tell a firewall from a DNS problem. */
  public enum Kind {
    DNS,
    REFUSED,
    TLS,
    CLOSED,
    OTHER
  }

  private final Kind kind;

  public ConnectionException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
