package dev.clauderelay.api;

import io.vertx.core.json.JsonObject;

/**
 * One content block ({@code text}, {@code tool_use}, {@code thinking}, … or a type the API adds
 * later). Typed accessors read the common fields; everything else stays in {@link #toJson()}.
 */
public final class ContentBlock {
  private final JsonObject json;

  public ContentBlock(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public String type() {
    return json.getString("type");
  }

  public boolean isText() {
    return "text".equals(type());
  }

  /** The text of a {@code text} block, else {@code null}. */
  public String text() {
    return isText() ? json.getString("text") : null;
  }

  public JsonObject toJson() {
    return json;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
