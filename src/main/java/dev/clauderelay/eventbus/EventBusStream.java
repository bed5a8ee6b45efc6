package dev.clauderelay.eventbus;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.error.ClaudeException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.UUID;

/**
 * The consumer's end of a {@value Addresses#STREAM} stream, as a {@link ReadStream} of events whose
 * demand becomes credits: {@code fetch(n)} grants {@code n}, {@code resume()} keeps a window of
 * {@value #FLOWING_WINDOW} granted, {@code pause()} grants no more. The service never sends beyond
 * what was granted, so a slow consumer holds the upstream socket paused instead of queueing events.
 *
 * <pre>{@code
 * EventBusStream stream = EventBusStream.open(vertx, request);
 * stream.handler(e -> System.out.print(e.data().getJsonObject("delta", new JsonObject()).getString("text", "")))
 *     .exceptionHandler(err -> log(err))   // a ReplyException: failureCode() = status, getMessage() = error JSON
 *     .endHandler(v -> System.out.println());
 * stream.resume();                         // or fetch(n) as the consumer is ready
 * stream.message().onSuccess(m -> ...);    // the whole Message after the end
 * }</pre>
 *
 * <p>As with {@code ClaudeClient.stream}, nothing is sent until events are first asked for; the
 * handlers run on the context that called {@code open}. Failures are {@link ReplyException}s: from
 * the service, {@code RECIPIENT_FAILURE} with the HTTP-like status and the Anthropic error JSON, as
 * {@value Addresses#MESSAGES} fails; when the service is gone, {@code NO_HANDLERS} or {@code
 * TIMEOUT}.
 */
public final class EventBusStream implements ReadStream<StreamEvent> {
  /** Credits kept granted while the stream flows ({@code resume()}). */
  public static final int FLOWING_WINDOW = 32;

  private final EventBus bus;
  private final Context ctx;
  private final JsonObject request;
  private final DeliveryOptions openOptions;
  private final DeliveryOptions controlOptions;
  private final String replyTo = Addresses.STREAM_REPLY_PREFIX + UUID.randomUUID();
  private final Promise<Message> message = Promise.promise();
  private final ArrayDeque<StreamEvent> buffered = new ArrayDeque<>();

  private Handler<StreamEvent> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private MessageConsumer<Object> consumer;
  private String control;
  private long demand;
  private long outstanding;
  private boolean started;
  private boolean terminal;
  private boolean done;
  private Throwable failure;

  private EventBusStream(Vertx vertx, JsonObject request, DeliveryOptions openOptions) {
    this.bus = vertx.eventBus();
    this.ctx = vertx.getOrCreateContext();
    this.request = request;
    this.openOptions = new DeliveryOptions(openOptions);
    this.controlOptions = new DeliveryOptions().setSendTimeout(openOptions.getSendTimeout());
  }

  /** A stream of {@code request} from the {@value Addresses#STREAM} service. */
  public static EventBusStream open(Vertx vertx, JsonObject request) {
    return open(vertx, request, new DeliveryOptions());
  }

  /**
   * As {@link #open(Vertx, JsonObject)}; {@code options} carries the call's headers ({@code
   * anthropic-version}, {@code anthropic-beta}, {@code x-relay-deadline-ms}) and the time the
   * service has to answer the open and each credit grant ({@code sendTimeout}).
   */
  public static EventBusStream open(Vertx vertx, JsonObject request, DeliveryOptions options) {
    return new EventBusStream(vertx, request, options);
  }

  /** The whole Message once the service sent the end; fails as the stream fails. */
  public Future<Message> message() {
    return message.future();
  }

  /** Stops the stream: the service cancels the upstream request. */
  public void cancel() {
    onContext(
        () -> {
          if (done) {
            return;
          }
          done = true;
          sendControl(StreamProtocol.cancel());
          unregister();
          message.tryFail(new ClaudeException("stream cancelled by the consumer", null));
        });
  }

  @Override
  public EventBusStream handler(Handler<StreamEvent> handler) {
    onContext(() -> this.handler = handler);
    return this;
  }

  @Override
  public EventBusStream exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> this.exceptionHandler = handler);
    return this;
  }

  @Override
  public EventBusStream endHandler(Handler<Void> handler) {
    onContext(() -> this.endHandler = handler);
    return this;
  }

  @Override
  public EventBusStream pause() {
    onContext(() -> demand = 0);
    return this;
  }

  @Override
  public EventBusStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public EventBusStream fetch(long amount) {
    onContext(
        () -> {
          if (amount <= 0 || done) {
            return;
          }
          demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
          if (!started) {
            started = true;
            start();
          } else {
            deliver();
            grant();
          }
        });
    return this;
  }

  private void start() {
    consumer =
        bus.consumer(
            replyTo,
            msg -> onServiceMessage(msg.body() instanceof JsonObject json ? json : null, msg));
    consumer
        .completion()
        .onFailure(this::failNow)
        .onSuccess(
            v -> {
              if (done) {
                return;
              }
              // The first credits travel with the open, so the first event needs no round trip.
              long initial = needed();
              outstanding += initial;
              bus.<JsonObject>request(
                      Addresses.STREAM, StreamProtocol.open(request, replyTo, initial), openOptions)
                  .onFailure(this::failNow)
                  .onSuccess(reply -> onOpened(reply.body()));
            });
  }

  private void onOpened(JsonObject reply) {
    control = reply.getString(StreamProtocol.CONTROL);
    if (done) {
      // Cancelled while the open was on its way.
      sendControl(StreamProtocol.cancel());
      return;
    }
    grant();
  }

  private void onServiceMessage(JsonObject body, io.vertx.core.eventbus.Message<Object> msg) {
    // Acknowledge on receipt: the ack says "still here", the credits say "ready for more".
    msg.reply(null);
    if (done || terminal || body == null) {
      return;
    }
    StreamEvent event = StreamProtocol.eventOf(body);
    if (event != null) {
      outstanding = Math.max(0, outstanding - 1);
      buffered.add(event);
    } else if (Boolean.TRUE.equals(body.getValue(StreamProtocol.END))) {
      terminal = true;
      message.tryComplete(new Message(body.getJsonObject(StreamProtocol.MESSAGE)));
    } else if (body.getValue(StreamProtocol.ERROR) instanceof JsonObject error) {
      terminal = true;
      failure =
          new ReplyException(
              ReplyFailure.RECIPIENT_FAILURE,
              body.getInteger(StreamProtocol.STATUS, 500),
              error.encode());
      message.tryFail(failure);
    }
    deliver();
    grant();
  }

  /** Hands buffered events to the handler as demand allows; the end or failure comes last. */
  private void deliver() {
    while (demand > 0 && !buffered.isEmpty() && !done) {
      StreamEvent event = buffered.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      if (handler != null) {
        handler.handle(event);
      }
    }
    if (terminal && buffered.isEmpty() && !done) {
      done = true;
      unregister();
      if (failure != null) {
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
      } else if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  /** Credits still to grant so that granted-but-unused plus buffered covers the demand. */
  private long needed() {
    long have = outstanding + buffered.size();
    if (demand == Long.MAX_VALUE) {
      return have <= FLOWING_WINDOW / 2 ? FLOWING_WINDOW - have : 0;
    }
    return Math.max(0, demand - have);
  }

  private void grant() {
    if (done || terminal || control == null) {
      return;
    }
    long n = needed();
    if (n > 0) {
      outstanding += n;
      sendControl(StreamProtocol.grant(n));
    }
  }

  private void sendControl(JsonObject body) {
    if (control == null) {
      return;
    }
    bus.request(control, body, controlOptions)
        .onFailure(
            t -> {
              // After the end the service has released the stream; a late grant may miss it.
              if (!terminal) {
                failNow(t);
              }
            });
  }

  private void failNow(Throwable t) {
    if (done) {
      return;
    }
    done = true;
    message.tryFail(t);
    if (control != null) {
      sendControl(StreamProtocol.cancel());
    }
    unregister();
    if (exceptionHandler != null) {
      exceptionHandler.handle(t);
    }
  }

  private void unregister() {
    if (consumer != null) {
      consumer.unregister();
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }
}
