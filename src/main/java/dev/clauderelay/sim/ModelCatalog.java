package dev.clauderelay.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The models {@code GET /v1/models} lists, newest first as the real API orders them. */
final class ModelCatalog {

  private static final List<JsonObject> MODELS =
      List.of(
          model("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z"),
          model("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z"),
          model("claude-haiku-4-5", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"));

  static final int DEFAULT_LIMIT = 20;

  private ModelCatalog() {}

  /** The model with this id, or {@code null}. */
  static JsonObject find(String id) {
    return MODELS.stream()
        .filter(m -> m.getString("id").equals(id))
        .findFirst()
        .map(JsonObject::copy)
        .orElse(null);
  }

  /**
   * One page: {@code limit} models after {@code afterId} (or before {@code beforeId}), with the
   * real API's paging fields.
   */
  static JsonObject page(int limit, String afterId, String beforeId) {
    int from = 0;
    int to = MODELS.size();
    if (afterId != null) {
      int at = indexOf(afterId);
      from = at < 0 ? MODELS.size() : at + 1;
    } else if (beforeId != null) {
      to = Math.max(0, indexOf(beforeId));
      from = Math.max(0, to - limit);
    }
    from = Math.min(from, to);
    int end = Math.min(to, from + limit);
    JsonArray data = new JsonArray();
    MODELS.subList(from, end).forEach(m -> data.add(m.copy()));
    boolean hasMore = beforeId != null ? from > 0 : end < MODELS.size();
    return new JsonObject()
        .put("data", data)
        .put("has_more", hasMore)
        .put("first_id", data.isEmpty() ? null : data.getJsonObject(0).getString("id"))
        .put(
            "last_id", data.isEmpty() ? null : data.getJsonObject(data.size() - 1).getString("id"));
  }

  private static int indexOf(String id) {
    for (int i = 0; i < MODELS.size(); i++) {
      if (MODELS.get(i).getString("id").equals(id)) {
        return i;
      }
    }
    // An unknown cursor yields an empty page rather than an error, like a cursor past the end.
    return -1;
  }

  private static JsonObject model(String id, String displayName, String createdAt) {
    return new JsonObject()
        .put("type", "model")
        .put("id", id)
        .put("display_name", displayName)
        .put("created_at", createdAt);
  }
}
