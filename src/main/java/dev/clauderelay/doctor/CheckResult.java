package dev.clauderelay.doctor;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param id which check
 * @param status pass, warn, fail or skip
 * @param summary one line: what was found
 * @param cause for a failure or warning, what it means; else null
 * @param fix for a failure or warning, what to do; else null
 * @param details machine-readable facts (times, addresses, status, request-id), for {@code --json}
 */
public record CheckResult(
    CheckId id, CheckStatus status, String summary, String cause, String fix, JsonObject details) {

  public CheckResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    details = details == null ? new JsonObject() : details;
  }

  public static CheckResult pass(CheckId id, String summary) {
    return new CheckResult(id, CheckStatus.PASS, summary, null, null, null);
  }

  public static CheckResult warn(CheckId id, String summary, String cause, String fix) {
    return new CheckResult(id, CheckStatus.WARN, summary, cause, fix, null);
  }

  public static CheckResult fail(CheckId id, String summary, String cause, String fix) {
    return new CheckResult(id, CheckStatus.FAIL, summary, cause, fix, null);
  }

  public static CheckResult skip(CheckId id, String summary) {
    return new CheckResult(id, CheckStatus.SKIP, summary, null, null, null);
  }

  public boolean failed() {
    return status == CheckStatus.FAIL;
  }

  /** This result with one more detail (null values are left out). */
  public CheckResult with(String key, Object value) {
    if (value != null) {
      details.put(key, value);
    }
    return this;
  }

  /** A copy with every text passed through {@code redactor}. */
  CheckResult redacted(Redactor redactor) {
    return new CheckResult(
        id,
        status,
        redactor.apply(summary),
        redactor.apply(cause),
        redactor.apply(fix),
        new JsonObject(redactor.apply(details.encode())));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.id())
            .put("title", id.title())
            .put("status", status.jsonName())
            .put("summary", summary);
    if (cause != null) {
      json.put("cause", cause);
    }
    if (fix != null) {
      json.put("fix", fix);
    }
    if (!details.isEmpty()) {
      json.put("details", details.copy());
    }
    return json;
  }
}
