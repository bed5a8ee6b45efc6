package dev.clauderelay.api;

import io.vertx.core.json.JsonObject;

/**
 * Token usage of a message. A view over the wire JSON: fields the API adds later stay in {@link
 * #toJson()}.
 */
public final class Usage {
  private final JsonObject json;

  public Usage(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public long inputTokens() {
    return longField("input_tokens");
  }

  public long outputTokens() {
    return longField("output_tokens");
  }

  public long cacheCreationInputTokens() {
    return longField("cache_creation_input_tokens");
  }

  public long cacheReadInputTokens() {
    return longField("cache_read_input_tokens");
  }

  public JsonObject toJson() {
    return json;
  }

  private long longField(String name) {
    Object v = json.getValue(name);
    return v instanceof Number n ? n.longValue() : 0L;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
