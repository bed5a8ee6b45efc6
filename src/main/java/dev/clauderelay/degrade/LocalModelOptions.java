package dev.clauderelay.degrade;

import dev.clauderelay.api.Secrets;
import java.net.URI;
import java.util.Objects;

/**
 * Where the local model is and how long to wait for it.
 *
 * @param baseUrl the OpenAI-compatible root including {@code /v1}, e.g. {@code
 *     http://127.0.0.1:11434/v1} (Ollama), {@code http://127.0.0.1:8000/v1} (vLLM); {@code
 *     /chat/completions} is appended
 * @param model the model name the server knows, e.g. {@code llama3.1:8b}
 * @param apiKey sent as {@code Authorization: Bearer}; null when the server needs none
 * @param connectTimeoutMs TCP (and TLS) connect limit, milliseconds
 * @param responseTimeoutMs limit until the response headers, and for a non-streamed answer until
 *     its whole body, milliseconds: local models are slow, but a fallback must end
 * @param idleTimeoutMs a streamed answer fails after this long without a byte while the reader
 *     waits, milliseconds
 * @param maxEventBytes largest SSE event accepted from the server
 */
public record LocalModelOptions(
    String baseUrl,
    String model,
    String apiKey,
    long connectTimeoutMs,
    long responseTimeoutMs,
    long idleTimeoutMs,
    int maxEventBytes) {
  /** Milliseconds: 5 seconds; the server is expected next door. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

  /** Milliseconds: 2 minutes, for a CPU-bound model writing a long answer. */
  public static final long DEFAULT_RESPONSE_TIMEOUT_MS = 120_000;

  /** Milliseconds: 60 seconds, time to first token of a model that was not loaded yet. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

  public LocalModelOptions {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    URI uri = URI.create(baseUrl);
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("local model baseUrl is not an http(s) URL: " + baseUrl);
    }
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    if (connectTimeoutMs <= 0 || responseTimeoutMs <= 0 || idleTimeoutMs <= 0) {
      throw new IllegalArgumentException("local model timeouts must be positive");
    }
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive");
    }
  }

  /** The config's {@code degrade.localModel} with default timeouts. */
  public static LocalModelOptions of(String baseUrl, String model, String apiKey) {
    return new LocalModelOptions(
        baseUrl,
        model,
        apiKey,
        DEFAULT_CONNECT_TIMEOUT_MS,
        DEFAULT_RESPONSE_TIMEOUT_MS,
        DEFAULT_IDLE_TIMEOUT_MS,
        DEFAULT_MAX_EVENT_BYTES);
  }

  public String chatCompletionsUrl() {
    return baseUrl + "/chat/completions";
  }

  /** Never the key itself: records print in logs. */
  @Override
  public String toString() {
    return "LocalModelOptions[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "none" : Secrets.fingerprint(apiKey))
        + "]";
  }
}
