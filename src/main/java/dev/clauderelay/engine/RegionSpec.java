package dev.clauderelay.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * One region as configured: a name, an Anthropic-compatible base URL and its key pool (inline keys
 * and/or key files that are re-read when they change).
 */
public record RegionSpec(
    String name, String baseUrl, List<String> apiKeys, List<Path> apiKeyFiles) {
  public RegionSpec {
    apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    apiKeyFiles = apiKeyFiles == null ? List.of() : List.copyOf(apiKeyFiles);
  }

  @Override
  public String toString() {
    return "RegionSpec["
        + name
        + ", "
        + baseUrl
        + ", "
        + apiKeys.size()
        + " keys, files "
        + apiKeyFiles
        + "]";
  }
}
