package dev.clauderelay.gateway;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Checks a client's gateway token, from {@code x-api-key} or {@code Authorization: Bearer} (older
 * SDKs send the first, current ones the second). Tokens are kept only as SHA-256 digests and
 * compared with {@link MessageDigest#isEqual}, every configured token every time, so the time taken
 * says nothing about how much of a guess was right, nor which token matched.
 */
final class ClientAuth {
  private static final String BEARER = "bearer ";

  /**
   * One digest per thread (event loops), reset by each {@code digest}: the provider lookup of
   * {@code getInstance} cost more than the hash itself on every request.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
          });

  private final List<byte[]> digests;

  ClientAuth(List<String> tokens) {
    this.digests = tokens.stream().map(ClientAuth::sha256).toList();
  }

  /** No tokens configured: every request is let in (allowed on loopback only). */
  boolean open() {
    return digests.isEmpty();
  }

  /** True when the request carries a configured token (or when {@link #open()}). */
  boolean accepts(HttpServerRequest request) {
    if (open()) {
      return true;
    }
    boolean ok = matches(request.getHeader("x-api-key"));
    String authorization = request.getHeader("authorization");
    if (authorization != null
        && authorization.length() > BEARER.length()
        && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      ok |= matches(authorization.substring(BEARER.length()).strip());
    }
    return ok;
  }

  private boolean matches(String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    byte[] digest = sha256(presented);
    boolean match = false;
    for (byte[] known : digests) {
      match |= MessageDigest.isEqual(known, digest);
    }
    return match;
  }

  private static byte[] sha256(String s) {
    return SHA_256.get().digest(s.getBytes(StandardCharsets.UTF_8));
  }
}
