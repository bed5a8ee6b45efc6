package dev.clauderelay.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Message as the API returns it. Wraps the wire JSON instead of copying it into fields, so an
 * unknown field or block type is kept and passed on unchanged: the API grows faster than clients.
 */
public final class Message {
  private final JsonObject json;

  public Message(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("message JSON is null");
    }
    this.json = json;
  }

  public String id() {
    return json.getString("id");
  }

  public String type() {
    return json.getString("type");
  }

  public String role() {
    return json.getString("role");
  }

  public String model() {
    return json.getString("model");
  }

  public String stopReason() {
    return json.getString("stop_reason");
  }

  public String stopSequence() {
    return json.getString("stop_sequence");
  }

  public List<ContentBlock> content() {
    Object raw = json.getValue("content");
    if (!(raw instanceof JsonArray array)) {
      return List.of();
    }
    List<ContentBlock> blocks = new ArrayList<>(array.size());
    for (Object o : array) {
      if (o instanceof JsonObject block) {
        blocks.add(new ContentBlock(block));
      }
    }
    return Collections.unmodifiableList(blocks);
  }

  /** The concatenated text of all {@code text} blocks; empty when there are none. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentBlock block : content()) {
      if (block.isText() && block.text() != null) {
        sb.append(block.text());
      }
    }
    return sb.toString();
  }

  public Usage usage() {
    Object raw = json.getValue("usage");
    return new Usage(raw instanceof JsonObject u ? u : null);
  }

  public JsonObject toJson() {
    return json;
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
