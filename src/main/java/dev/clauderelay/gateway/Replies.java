package dev.clauderelay.gateway;

import dev.clauderelay.api.error.TaskQueuedException;
import dev.clauderelay.client.Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Writes the gateway's answers with the headers every answer carries. */
final class Replies {
  static final String JSON = "application/json";

  private Replies() {}

  /**
   * {@code request-id}, {@code x-relay-region}, {@code x-relay-attempts}, and {@code
   * x-relay-degraded} when the degradation chain answered.
   */
  static void relayHeaders(HttpServerResponse resp, RequestRecord r) {
    resp.putHeader("request-id", r.requestId());
    if (r.region != null) {
      resp.putHeader("x-relay-region", r.region);
    }
    resp.putHeader("x-relay-attempts", Integer.toString(r.attempts));
    if (r.degraded != null) {
      resp.putHeader("x-relay-degraded", r.degraded);
    }
  }

  /**
   * {@code 202 {"type":"queued","task_id"}}: no region could serve the request, it is stored as a
   * pending task ({@code GET /v1/relay/tasks/{id}} reads it).
   */
  static void queued(HttpServerResponse resp, RequestRecord r, TaskQueuedException queued) {
    r.served(queued.region(), queued.attempts(), null);
    r.detail = "task=" + queued.taskId() + (queued.created() ? "" : " (repeat)");
    r.degraded(QUEUED);
    if (resp.closed() || resp.ended() || resp.headWritten()) {
      return;
    }
    json(resp, r, 202, new JsonObject().put("type", "queued").put("task_id", queued.taskId()));
  }

  static final String QUEUED = "queued";

  /** An upstream answer as it came (status, body, passed headers). */
  static void exchange(HttpServerResponse resp, RequestRecord r, Exchange ex) {
    r.served(ex.region(), ex.attempts(), ex.headers().get("request-id"));
    r.degraded(ex.degraded());
    if (resp.closed() || resp.ended()) {
      return;
    }
    resp.setStatusCode(ex.status());
    putAll(resp, UpstreamHeaders.passed(ex.headers()));
    String type = ex.headers().get("content-type");
    resp.putHeader("content-type", type == null ? JSON : type);
    relayHeaders(resp, r);
    resp.end(ex.body());
  }

  /** An error as Anthropic error JSON; the body's {@code request_id} is filled in when absent. */
  static Future<Void> error(HttpServerResponse resp, RequestRecord r, ErrorReply reply) {
    r.served(reply.region(), reply.attempts(), reply.requestId());
    if (r.detail == null) {
      r.detail = "error=" + reply.type();
    }
    if (resp.closed() || resp.ended() || resp.headWritten()) {
      return Future.succeededFuture();
    }
    JsonObject body = reply.body();
    if (body.getValue("request_id") == null) {
      body.put("request_id", r.requestId());
    }
    resp.setStatusCode(reply.status());
    putAll(resp, reply.headers());
    resp.putHeader("content-type", JSON);
    relayHeaders(resp, r);
    return resp.end(body.toBuffer());
  }

  /** A JSON body of the gateway's own ({@code /status}, health). */
  static void json(HttpServerResponse resp, RequestRecord r, int status, JsonObject body) {
    resp.setStatusCode(status).putHeader("content-type", JSON);
    relayHeaders(resp, r);
    resp.end(body.toBuffer());
  }

  private static void putAll(HttpServerResponse resp, Map<String, String> headers) {
    headers.forEach(resp::putHeader);
  }
}
