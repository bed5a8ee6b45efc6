package dev.clauderelay.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One response a test queues with {@link SimulatedAnthropic#enqueue(ScriptedResponse...)}. Queued
 * responses are served first-in first-out, before auth and the fault profile are considered, so a
 * script fully decides what the next request sees.
 *
 * <p>Instances are mutable builders: configure one, then enqueue it; the same instance may be
 * enqueued several times.
 *
 * <pre>{@code
 * sim.enqueue(
 *     ScriptedResponse.status(529).header("retry-after", "2").errorBody("overloaded_error", "Overloaded"),
 *     ScriptedResponse.closeConnection(),
 *     ScriptedResponse.normal());
 * }</pre>
 */
public final class ScriptedResponse {

  /** What the server does with the request. */
  public enum Kind {
    /** Status, headers and body as configured. */
    REPLY,
    /** The answer a healthy simulator would give (skips auth and the fault profile). */
    NORMAL,
    /** Accept the request and never answer it. */
    HANG,
    /** Close the connection without writing a response. */
    CLOSE_CONNECTION,
    /** 200 {@code text/event-stream}, the raw SSE text, then a proper end of response. */
    SSE,
    /** 200 {@code text/event-stream}, the raw SSE text, then the connection is closed. */
    SSE_THEN_CUT
  }

  private final Kind kind;
  private int status;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private String errorType;
  private String errorMessage;
  private String contentType;
  private Buffer body;
  private long delayMs;
  private String path;

  private ScriptedResponse(Kind kind, int status) {
    this.kind = kind;
    this.status = status;
  }

  /**
   * A reply with this status. Without a body set, a status of 400 or more gets the Anthropic error
   * body that goes with it (e.g. 529 → {@code overloaded_error}); below 400 the body is empty.
   */
  public static ScriptedResponse status(int status) {
    return new ScriptedResponse(Kind.REPLY, checkStatus(status));
  }

  /** Shorthand for {@code status(status).errorBody(type, message)}. */
  public static ScriptedResponse error(int status, String type, String message) {
    return status(status).errorBody(type, message);
  }

  /** The simulator's normal healthy answer, whatever the fault profile. */
  public static ScriptedResponse normal() {
    return new ScriptedResponse(Kind.NORMAL, 200);
  }

  /** Accepts the request and never answers; the connection stays open until one side closes it. */
  public static ScriptedResponse hang() {
    return new ScriptedResponse(Kind.HANG, 0);
  }

  /** Closes the connection without answering (the client sees a connection reset/close). */
  public static ScriptedResponse closeConnection() {
    return new ScriptedResponse(Kind.CLOSE_CONNECTION, 0);
  }

  /** Answers 200 {@code text/event-stream} with exactly this text, then ends the response. */
  public static ScriptedResponse sse(String rawSse) {
    return new ScriptedResponse(Kind.SSE, 200).rawSse(rawSse);
  }

  /** Answers 200 {@code text/event-stream} with exactly this text, then closes the connection. */
  public static ScriptedResponse sseThenCut(String rawSse) {
    return new ScriptedResponse(Kind.SSE_THEN_CUT, 200).rawSse(rawSse);
  }

  /** Adds a response header (several values of one name are all sent); replaces defaults. */
  public ScriptedResponse header(String name, String value) {
    if (name == null || name.isEmpty() || value == null) {
      throw new IllegalArgumentException("header name must be non-empty and value non-null");
    }
    headers.add(Map.entry(name, value));
    return this;
  }

  /**
   * Sets an Anthropic error body {@code {"type":"error","error":{"type","message"},"request_id"}};
   * the request id is the one the simulator gives the request.
   */
  public ScriptedResponse errorBody(String type, String message) {
    this.errorType = type;
    this.errorMessage = message;
    this.contentType = "application/json";
    this.body = null;
    return this;
  }

  /** Sets a raw body with an arbitrary content type (e.g. an HTML page from a proxy). */
  public ScriptedResponse body(String contentType, String body) {
    return body(contentType, Buffer.buffer(body));
  }

  /** Sets a raw body with an arbitrary content type; the bytes are sent as they are. */
  public ScriptedResponse body(String contentType, Buffer body) {
    if (body == null) {
      throw new IllegalArgumentException("body must be non-null");
    }
    this.contentType = contentType;
    this.body = body.copy();
    this.errorType = null;
    this.errorMessage = null;
    return this;
  }

  /** Sets a JSON body ({@code application/json}). */
  public ScriptedResponse json(JsonObject body) {
    return body("application/json", body.encode());
  }

  /** Changes the status of a reply or of an SSE answer. */
  public ScriptedResponse withStatus(int status) {
    if (kind != Kind.REPLY && kind != Kind.SSE && kind != Kind.SSE_THEN_CUT) {
      throw new IllegalStateException("a " + kind + " response has no status");
    }
    this.status = checkStatus(status);
    return this;
  }

  /** Waits this long (milliseconds, on a Vert.x timer) before acting; adds to the base latency. */
  public ScriptedResponse delayMs(long delayMs) {
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0, got " + delayMs);
    }
    this.delayMs = delayMs;
    return this;
  }

  /**
   * Only a request to exactly this path consumes this response; requests to other paths pass it by
   * (useful when health probes to {@code /v1/models} run while a test scripts {@code
   * /v1/messages}). By default any path consumes it.
   */
  public ScriptedResponse onlyFor(String path) {
    this.path = path;
    return this;
  }

  public Kind kind() {
    return kind;
  }

  public int statusCode() {
    return status;
  }

  public long delayMillis() {
    return delayMs;
  }

  /** The path this response is reserved for, or {@code null} for any path. */
  public String path() {
    return path;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  String contentType() {
    return contentType;
  }

  /** The body to send for this request id, or {@code null} when there is none. */
  Buffer bodyFor(String requestId) {
    if (errorType != null || errorMessage != null) {
      return ErrorBodies.body(errorType, errorMessage, requestId).toBuffer();
    }
    if (body != null) {
      // A copy per use: the same scripted response may be enqueued and served several times.
      return body.copy();
    }
    if (kind == Kind.REPLY && status >= 400) {
      return ErrorBodies.body(
              ErrorBodies.typeFor(status), ErrorBodies.messageFor(status), requestId)
          .toBuffer();
    }
    return null;
  }

  boolean matches(String requestPath) {
    return path == null || path.equals(requestPath);
  }

  private ScriptedResponse rawSse(String rawSse) {
    if (rawSse == null) {
      throw new IllegalArgumentException("raw SSE text must be non-null");
    }
    this.contentType = "text/event-stream; charset=utf-8";
    this.body = Buffer.buffer(rawSse);
    return this;
  }

  private static int checkStatus(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be between 100 and 999, got " + status);
    }
    return status;
  }

  @Override
  public String toString() {
    return "ScriptedResponse{" + kind + (status > 0 ? " " + status : "") + "}";
  }
}
