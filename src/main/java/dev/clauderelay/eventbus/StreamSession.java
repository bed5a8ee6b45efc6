package dev.clauderelay.eventbus;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.client.MessageStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service side of one {@code claude.stream} stream: forwards the upstream events to the
 * consumer's {@code replyTo} address, one per credit, and turns credits into {@link
 * MessageStream#fetch(long)} so that a consumer that grants nothing leaves the upstream socket
 * paused rather than events piling up here.
 *
 * <p>A consumer counts as vanished, and the upstream request is cancelled, when a message to it
 * fails (no handler at {@code replyTo}, no acknowledgement within {@code ackTimeoutMs}) or when the
 * stream has waited {@code creditTimeoutMs} with no credit left.
 *
 * <p>Confined to the verticle's context, like the {@link MessageStream} it wraps.
 */
final class StreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

  private final Vertx vertx;
  private final EventBus bus;
  private final String id;
  private final String replyTo;
  private final MessageStream stream;
  private final ClaudeVerticleOptions options;
  private final DeliveryOptions acked;
  private final Consumer<StreamSession> onClosed;
  // Only filled if the stream ever emitted beyond the demand it was given; kept so that even then
  // nothing is sent beyond the consumer's credits.
  private final ArrayDeque<StreamEvent> overflow = new ArrayDeque<>(0);

  private MessageConsumer<Object> control;
  private long credits;
  private long seq;
  private long creditTimer = -1;
  private boolean closed;

  StreamSession(
      Vertx vertx,
      String id,
      String replyTo,
      MessageStream stream,
      ClaudeVerticleOptions options,
      Consumer<StreamSession> onClosed) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.id = id;
    this.replyTo = replyTo;
    this.stream = stream;
    this.options = options;
    this.acked = new DeliveryOptions().setSendTimeout(options.getAckTimeoutMs());
    this.onClosed = onClosed;
  }

  String id() {
    return id;
  }

  String controlAddress() {
    return Addresses.streamControl(id);
  }

  /**
   * Registers the control address; the future completes once it is known cluster-wide, so that the
   * consumer's first credit cannot arrive before the address exists.
   */
  Future<Void> register() {
    control = bus.consumer(controlAddress(), this::onControl);
    stream.handler(this::onEvent);
    stream.exceptionHandler(this::onFailure);
    stream.endHandler(v -> onEnd());
    return control.completion();
  }

  /** Starts the flow with the credits the open message carried (0 opens lazily). */
  void start(long initialCredits) {
    if (initialCredits > 0) {
      grant(initialCredits);
    } else {
      armCreditTimer();
    }
  }

  private void onControl(Message<Object> msg) {
    // Typed Object, not JsonObject: a stray String must get a 400, not a ClassCastException.
    JsonObject body = msg.body() instanceof JsonObject json ? json : null;
    if (closed) {
      // Credits racing the end are harmless: acknowledge so the consumer sees no failure.
      msg.reply(null);
      return;
    }
    if (body == null) {
      fail(msg, "control message must be a JSON object");
      return;
    }
    if (Boolean.TRUE.equals(body.getValue(StreamProtocol.CANCEL))) {
      msg.reply(null);
      close("cancelled by the consumer");
      return;
    }
    long granted;
    try {
      granted = StreamProtocol.credits(body, 1);
    } catch (InvalidRequestException bad) {
      fail(msg, bad.getMessage());
      return;
    }
    msg.reply(null);
    grant(granted);
  }

  private static void fail(Message<Object> msg, String why) {
    msg.fail(400, ErrorBody.toWire("invalid_request_error", why, null).encode());
  }

  private void grant(long granted) {
    if (closed) {
      return;
    }
    disarmCreditTimer();
    credits = credits + granted < 0 ? Long.MAX_VALUE : credits + granted;
    long usedByOverflow = 0;
    while (credits > 0 && !overflow.isEmpty() && !closed) {
      send(overflow.poll());
      usedByOverflow++;
    }
    long toFetch = granted - usedByOverflow;
    if (toFetch > 0 && !closed) {
      stream.fetch(toFetch);
    }
    if (credits == 0 && !closed) {
      armCreditTimer();
    }
  }

  private void onEvent(StreamEvent event) {
    if (closed) {
      return;
    }
    if (credits == 0) {
      LOG.warn("stream {}: upstream delivered an event beyond the demand; holding it", id);
      overflow.add(event);
      return;
    }
    send(event);
    if (credits == 0) {
      armCreditTimer();
    }
  }

  private void send(StreamEvent event) {
    credits--;
    long n = ++seq;
    bus.request(replyTo, StreamProtocol.event(id, n, event), acked)
        .onFailure(t -> vanished("event " + n + " not acknowledged: " + t.getMessage()));
  }

  private void onEnd() {
    if (closed) {
      return;
    }
    stream
        .message()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                terminal(StreamProtocol.end(id, seq + 1, ar.result().toJson()));
              } else {
                onFailure(ar.cause());
              }
            });
  }

  private void onFailure(Throwable t) {
    if (closed) {
      return;
    }
    terminal(StreamProtocol.failure(id, seq + 1, ErrorReplies.of(t)));
  }

  /**
   * Sends the last message. Terminal messages need no credit: a consumer with none left must still
   * learn how the stream ended. The control address stays until the consumer has the end, so that a
   * credit it sent meanwhile is acknowledged rather than answered "no handlers".
   */
  private void terminal(JsonObject last) {
    closed = true;
    seq++;
    disarmCreditTimer();
    bus.request(replyTo, last, acked).onComplete(ar -> release());
  }

  /** The verticle is stopping: the upstream is cancelled and the consumer told so. */
  void stopByService() {
    if (closed) {
      return;
    }
    ErrorReplies.Reply reply =
        new ErrorReplies.Reply(
            503, ErrorBody.toWire("api_error", "the event-bus service stopped", null), null);
    bus.send(replyTo, StreamProtocol.failure(id, ++seq, reply));
    close("service stopping");
  }

  private void vanished(String why) {
    if (closed) {
      return;
    }
    LOG.info("stream {}: consumer at {} vanished ({}); cancelling upstream", id, replyTo, why);
    close(why);
  }

  private void onCreditTimeout() {
    creditTimer = -1;
    if (closed) {
      return;
    }
    // Told, in case it is alive but stuck: a slow consumer learns why its stream stopped.
    String why = "no credit granted for " + options.getCreditTimeoutMs() + " ms";
    ErrorReplies.Reply reply =
        new ErrorReplies.Reply(408, ErrorBody.toWire("timeout_error", why, null), null);
    bus.send(replyTo, StreamProtocol.failure(id, ++seq, reply));
    vanished(why);
  }

  private void close(String why) {
    closed = true;
    disarmCreditTimer();
    overflow.clear();
    stream.cancel();
    LOG.debug("stream {} closed: {}", id, why);
    release();
  }

  private void release() {
    if (control != null) {
      control.unregister();
      control = null;
      onClosed.accept(this);
    }
  }

  private void armCreditTimer() {
    if (creditTimer == -1 && !closed) {
      creditTimer = vertx.setTimer(options.getCreditTimeoutMs(), t -> onCreditTimeout());
    }
  }

  private void disarmCreditTimer() {
    if (creditTimer != -1) {
      vertx.cancelTimer(creditTimer);
      creditTimer = -1;
    }
  }
}
