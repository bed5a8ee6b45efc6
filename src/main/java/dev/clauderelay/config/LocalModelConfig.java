package dev.clauderelay.config;

import dev.clauderelay.api.Secrets;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A local open-source model behind an OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp), the
 * degradation step after the cache.
 *
 * @param baseUrl the endpoint's root as the OpenAI SDKs take it, usually ending in {@code /v1}
 *     (e.g. {@code http://localhost:11434/v1}); {@code /chat/completions} is appended. Unlike a
 *     region's URL, {@code /v1} belongs here.
 * @param model model name sent in the request, e.g. {@code llama3.1:8b}
 * @param apiKey bearer key, or null when the endpoint needs none. Secret: shown only as a
 *     fingerprint.
 */
public record LocalModelConfig(String baseUrl, String model, String apiKey) {
  public LocalModelConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    String problem = Urls.httpUrlProblem(baseUrl);
    if (problem != null) {
      throw new IllegalArgumentException("degrade.localModel.baseUrl " + problem);
    }
    baseUrl = Urls.stripTrailingSlashes(baseUrl);
  }

  /** Null after a problem (a missing baseUrl or model leaves no usable local model). */
  static LocalModelConfig read(Section s) {
    String baseUrl = s.requiredText("baseUrl", Urls::httpUrlProblem);
    String model = s.requiredText("model", text -> null);
    String apiKey = s.secret("apiKey");
    return baseUrl == null || model == null ? null : new LocalModelConfig(baseUrl, model, apiKey);
  }

  /** The key as a fingerprint: for /status and logs. */
  public JsonObject toSafeJson() {
    JsonObject json = new JsonObject().put("baseUrl", Urls.redact(baseUrl)).put("model", model);
    return apiKey == null ? json : json.put("apiKey", Secrets.fingerprint(apiKey));
  }

  @Override
  public String toString() {
    return "LocalModelConfig" + toSafeJson().encode();
  }
}
