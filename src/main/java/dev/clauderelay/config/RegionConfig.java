package dev.clauderelay.config;

import dev.clauderelay.api.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One upstream: an Anthropic-compatible API root and the keys to call it with.
 *
 * @param name unique, 1-64 characters of {@code [A-Za-z0-9._-]}; in logs, metrics and {@code
 *     x-relay-region}
 * @param baseUrl API root without {@code /v1} and without a trailing slash
 * @param apiKeys keys of the pool. Secrets: shown only as fingerprints.
 * @param apiKeyFiles files that each hold one key, re-read on change by the key pool; relative
 *     paths are relative to the working directory
 */
public record RegionConfig(
    String name, String baseUrl, List<String> apiKeys, List<Path> apiKeyFiles) {
  /** Name of the region made when the configuration lists none. */
  public static final String DEFAULT_NAME = "anthropic";

  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public RegionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (nameProblem(name) != null) {
      throw new IllegalArgumentException("region name " + nameProblem(name));
    }
    String urlProblem = Urls.anthropicBaseUrlProblem(baseUrl);
    if (urlProblem != null) {
      throw new IllegalArgumentException("region " + name + " baseUrl " + urlProblem);
    }
    baseUrl = Urls.stripTrailingSlashes(baseUrl);
    apiKeys = List.copyOf(apiKeys);
    apiKeyFiles = List.copyOf(apiKeyFiles);
  }

  /** {@code anthropic} at {@code https://api.anthropic.com}, without keys. */
  public static RegionConfig defaultRegion() {
    return new RegionConfig(DEFAULT_NAME, DEFAULT_BASE_URL, List.of(), List.of());
  }

  /** Whether the region has a key or a key file; a region without either can only fail auth. */
  public boolean hasCredentials() {
    return !apiKeys.isEmpty() || !apiKeyFiles.isEmpty();
  }

  /**
   * Reads one region; null after a problem that leaves no usable region. The first region (the
   * default one) falls back to {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_API_KEY}, like the
   * SDKs: only where the configuration itself says nothing (see docs/config.md).
   */
  static RegionConfig read(Section s, boolean isDefault) {
    String name = s.requiredText("name", RegionConfig::nameProblem);
    String anthropicBaseUrl = s.context().env("ANTHROPIC_BASE_URL");
    if (isDefault && anthropicBaseUrl != null && !anthropicBaseUrl.isBlank()) {
      s.fallback("baseUrl", anthropicBaseUrl.trim(), "ANTHROPIC_BASE_URL");
    }
    String baseUrl = s.text("baseUrl", DEFAULT_BASE_URL, Urls::anthropicBaseUrlProblem);
    List<String> apiKeys = s.texts("apiKeys", true);
    List<Path> apiKeyFiles = s.paths("apiKeyFiles");
    if (isDefault && apiKeys.isEmpty() && apiKeyFiles.isEmpty()) {
      apiKeys = s.textsFromVariable("apiKeys", "ANTHROPIC_API_KEY", true);
    }
    return name == null ? null : new RegionConfig(name, baseUrl, apiKeys, apiKeyFiles);
  }

  private static String nameProblem(String name) {
    return NAME.matcher(name).matches()
        ? null
        : "must be 1 to 64 characters of letters, digits, '.', '_' and '-', got \""
            + (name.length() > 70 ? name.substring(0, 70) + "…" : name)
            + "\"";
  }

  /** Keys as fingerprints: for /status and logs. */
  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("name", name)
        .put("baseUrl", Urls.redact(baseUrl))
        .put("apiKeys", new JsonArray(apiKeys.stream().map(Secrets::fingerprint).toList()))
        .put("apiKeyFiles", new JsonArray(apiKeyFiles.stream().map(Path::toString).toList()));
  }

  @Override
  public String toString() {
    return "RegionConfig" + toSafeJson().encode();
  }
}
