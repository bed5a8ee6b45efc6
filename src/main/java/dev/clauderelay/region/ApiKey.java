package dev.clauderelay.region;

import dev.clauderelay.api.Secrets;
import java.util.Objects;

/**
 * One API key of a {@link KeyPool}. The secret is only reachable through {@link #secret()}, which
 * the transport calls to build the request; {@link #toString()}, logs, errors and {@code /status}
 * see the {@link #fingerprint()} only.
 */
public final class ApiKey {
  private final String secret;
  private final String fingerprint;
  private final String source;

  ApiKey(String secret, String source) {
    this.secret = Objects.requireNonNull(secret, "secret");
    this.fingerprint = Secrets.fingerprint(secret);
    this.source = source;
  }

  /** The key itself, for the {@code x-api-key} header and nothing else. */
  public String secret() {
    return secret;
  }

  /** Safe to print, e.g. {@code sk-ant-…a1b2}. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Where the key came from: {@code apiKeys[0]} or a key file's path (never the key). */
  public String source() {
    return source;
  }

  /** Two handles are the same key when the secrets are equal, whatever their source. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && secret.equals(other.secret);
  }

  @Override
  public int hashCode() {
    return secret.hashCode();
  }

  @Override
  public String toString() {
    return "ApiKey{" + fingerprint + " from " + source + "}";
  }
}
