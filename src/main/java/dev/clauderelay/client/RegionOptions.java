package dev.clauderelay.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream region: a name, an Anthropic-compatible base URL (no {@code /v1}) and its key pool
 * ({@code apiKeys} and/or {@code apiKeyFiles}, the files re-read when they change).
 */
public final class RegionOptions {
  private String name;
  private String baseUrl = ClaudeClientOptions.DEFAULT_BASE_URL;
  private final List<String> apiKeys = new ArrayList<>();
  private final List<Path> apiKeyFiles = new ArrayList<>();

  public RegionOptions(String name, String baseUrl) {
    setName(name);
    setBaseUrl(baseUrl);
  }

  public RegionOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      Object v = json.getValue(key);
      switch (key) {
        case "name" -> setName(v instanceof String s ? s : null);
        case "baseUrl" -> setBaseUrl(v instanceof String s ? s : null);
        case "apiKeys" -> strings(key, v).forEach(this::addApiKey);
        case "apiKeyFiles" -> strings(key, v).forEach(f -> addApiKeyFile(Path.of(f)));
        default ->
            throw new IllegalArgumentException(
                "unknown region option '"
                    + key
                    + "'; known: [apiKeyFiles, apiKeys, baseUrl, name]");
      }
    }
    if (name == null) {
      throw new IllegalArgumentException("a region needs a name");
    }
  }

  public JsonObject toJson() {
    JsonArray files = new JsonArray();
    apiKeyFiles.forEach(f -> files.add(f.toString()));
    return new JsonObject()
        .put("name", name)
        .put("baseUrl", baseUrl)
        .put("apiKeys", new JsonArray(new ArrayList<>(apiKeys)))
        .put("apiKeyFiles", files);
  }

  public String getName() {
    return name;
  }

  public RegionOptions setName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "region name must be 1-64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    this.name = name;
    return this;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public RegionOptions setBaseUrl(String baseUrl) {
    this.baseUrl = ClaudeClientOptions.checkBaseUrl(baseUrl);
    return this;
  }

  public List<String> getApiKeys() {
    return List.copyOf(apiKeys);
  }

  public RegionOptions addApiKey(String key) {
    if (key != null && !key.isBlank()) {
      apiKeys.add(key.trim());
    }
    return this;
  }

  public List<Path> getApiKeyFiles() {
    return List.copyOf(apiKeyFiles);
  }

  public RegionOptions addApiKeyFile(Path file) {
    apiKeyFiles.add(file);
    return this;
  }

  @Override
  public String toString() {
    return "RegionOptions["
        + name
        + ", "
        + baseUrl
        + ", "
        + apiKeys.size()
        + " keys, files "
        + apiKeyFiles
        + "]";
  }

  private static List<String> strings(String key, Object v) {
    if (!(v instanceof JsonArray array)) {
      throw new IllegalArgumentException(key + " must be a list of strings, got " + v);
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(key + " must be a list of strings, got " + o);
      }
      out.add(s);
    }
    return out;
  }
}
