package dev.clauderelay.eventbus;

import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.InvalidRequestException;
import io.vertx.core.json.JsonObject;

/**
 * Field names and message shapes of the {@code claude.stream} protocol, in one place for both ends
 * (the service's {@link StreamSession} and the consumer's {@link EventBusStream}). Every message is
 * a JSON object so the protocol works unchanged over a clustered event bus. The full description is
 * {@code docs/eventbus.md}.
 */
public final class StreamProtocol {
  /** Open: the Anthropic request. */
  public static final String REQUEST = "request";

  /** Open: the consumer's address, where events, the end and a failure are sent. */
  public static final String REPLY_TO = "replyTo";

  /** Open and control: credits granted (events the service may send). */
  public static final String CREDITS = "credits";

  /** Open reply and every service message: the stream id. */
  public static final String ID = "id";

  /** Open reply: the stream's control address ({@link Addresses#streamControl(String)}). */
  public static final String CONTROL = "control";

  /** Service messages: 1, 2, 3… in sending order, the terminal message included. */
  public static final String SEQ = "seq";

  /** Event message: {@code {"type","data"}}, the server-sent event as the API sent it. */
  public static final String EVENT = "event";

  /** End message: {@code true}. */
  public static final String END = "end";

  /** End message: the whole Message JSON. */
  public static final String MESSAGE = "message";

  /** Failure message: the Anthropic error JSON {@code {"type":"error","error":{…}}}. */
  public static final String ERROR = "error";

  /** Failure message: the HTTP-like status (the failure code {@code claude.messages} would use). */
  public static final String STATUS = "status";

  /** Failure message after content: the Message as far as it came. */
  public static final String PARTIAL = "partial";

  /** Control: {@code true} stops the stream and its upstream request. */
  public static final String CANCEL = "cancel";

  private StreamProtocol() {}

  public static JsonObject open(JsonObject request, String replyTo, long credits) {
    return new JsonObject().put(REQUEST, request).put(REPLY_TO, replyTo).put(CREDITS, credits);
  }

  public static JsonObject grant(long credits) {
    return new JsonObject().put(CREDITS, credits);
  }

  public static JsonObject cancel() {
    return new JsonObject().put(CANCEL, true);
  }

  static JsonObject event(String id, long seq, StreamEvent event) {
    return new JsonObject()
        .put(ID, id)
        .put(SEQ, seq)
        .put(EVENT, new JsonObject().put("type", event.type()).put("data", event.data()));
  }

  static JsonObject end(String id, long seq, JsonObject message) {
    return new JsonObject().put(ID, id).put(SEQ, seq).put(END, true).put(MESSAGE, message);
  }

  static JsonObject failure(String id, long seq, ErrorReplies.Reply reply) {
    JsonObject json =
        new JsonObject()
            .put(ID, id)
            .put(SEQ, seq)
            .put(ERROR, reply.body())
            .put(STATUS, reply.status());
    if (reply.partial() != null) {
      json.put(PARTIAL, reply.partial());
    }
    return json;
  }

  /** The event of an event message, or null when the message is not one. */
  static StreamEvent eventOf(JsonObject message) {
    if (message.getValue(EVENT) instanceof JsonObject e && e.getValue("type") instanceof String t) {
      return new StreamEvent(t, e.getJsonObject("data"));
    }
    return null;
  }

  /**
   * A credit count: a whole number from {@code min} up. Fractions, strings and negatives are
   * refused rather than rounded, since a consumer that sends them has a bug worth hearing about.
   */
  static long credits(JsonObject json, long min) {
    Object v = json.getValue(CREDITS);
    if (v == null && min == 0) {
      return 0;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min) {
      throw new InvalidRequestException(
          CREDITS + ": a whole number >= " + min + " is required, got " + v);
    }
    return ((Number) v).longValue();
  }
}
