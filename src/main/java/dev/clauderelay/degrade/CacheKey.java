package dev.clauderelay.degrade;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The response cache's key: SHA-256 (hex) of the canonical JSON of what decides the answer.
 *
 * <p>Hashed: every top-level body field except {@link #IGNORED}: model, system, messages, tools,
 * tool_choice, temperature, top_p, top_k, max_tokens, stop_sequences, thinking, and any field the
 * API adds later (an unknown field may change the answer, so two requests that differ in it must
 * not share an entry). Ignored: {@code stream} (a cached message is replayed as a stream when
 * asked), {@code metadata} (a per-user tag, not an input of the model) and {@code service_tier}
 * (capacity, not content). Headers and credentials never enter: the key is built from the body
 * alone.
 */
public record CacheKey(String sha256) {
  /** Body fields that do not change the answer. */
  public static final Set<String> IGNORED = Set.of("stream", "metadata", "service_tier");

  public CacheKey {
    if (sha256 == null || sha256.length() != 64) {
      throw new IllegalArgumentException("a cache key is a SHA-256 in hex");
    }
  }

  public static CacheKey of(JsonObject request) {
    JsonObject relevant = new JsonObject();
    for (String field : request.fieldNames()) {
      if (!IGNORED.contains(field)) {
        relevant.put(field, request.getValue(field));
      }
    }
    return new CacheKey(sha256(CanonicalJson.encode(relevant)));
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return sha256;
  }
}
