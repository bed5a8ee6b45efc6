package dev.clauderelay.engine;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.degrade.CacheKey;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A streamed call with the degradation chain: a fresh cached answer replayed as events, else the
 * regions' {@link StreamCall}; if that fails before any event reached the consumer, the next step
 * (stale cache, local model) takes its place in the same stream, invisibly except for {@link
 * #degraded()}. After the first event nothing is replaced: a cut stays a {@code
 * StreamInterruptedException}. When the chain runs out, the stream fails with the chain's last word
 * ({@code TaskQueuedException}, {@code RelayRefusalException} or the upstream's error).
 *
 * <p>Demand passes through: what the consumer asked for and has not received is asked of whichever
 * source is current. Confined to the caller's context, like {@link StreamCall}.
 */
public final class DegradableStream implements ReadStream<StreamEvent> {
  private final Degradation chain;
  private final UpstreamRequest request;
  private final JsonObject body;
  private final DegradeRequest how;
  private final Supplier<StreamCall> live;
  private final Promise<Message> message = Promise.promise();

  private Handler<StreamEvent> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private ReadStream<StreamEvent> current;
  private Runnable cancelCurrent = () -> {};
  private StreamCall call;
  private CacheKey key;
  private String degraded;
  private long demand;
  private long delivered;
  private boolean started;
  private boolean finished;

  DegradableStream(
      Degradation chain,
      UpstreamRequest request,
      JsonObject body,
      DegradeRequest how,
      Supplier<StreamCall> live) {
    this.chain = chain;
    this.request = request;
    this.body = body;
    this.how = how;
    this.live = live;
  }

  /** The whole message once the stream completed; fails as the stream fails. */
  public Future<Message> message() {
    return message.future();
  }

  /** Region that served the stream (after it opened); null for a degraded answer. */
  public String region() {
    return call == null || degraded != null ? null : call.region();
  }

  /** Attempts made on the regions (also when the chain answered after them). */
  public int attempts() {
    return call == null ? 0 : call.attempts();
  }

  /** Response headers of the attempt that opened the stream; none for a degraded answer. */
  public Map<String, String> headers() {
    return call == null || degraded != null ? Map.of() : call.headers();
  }

  /**
   * {@code cache}, {@code stale-cache} or {@code local-model} when the chain answered; else null.
   */
  public String degraded() {
    return degraded;
  }

  @Override
  public DegradableStream handler(Handler<StreamEvent> handler) {
    this.handler = handler;
    if (handler == null) {
      cancel();
    }
    return this;
  }

  @Override
  public DegradableStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public DegradableStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public DegradableStream pause() {
    demand = 0;
    if (current != null) {
      current.pause();
    }
    return this;
  }

  @Override
  public DegradableStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public DegradableStream fetch(long amount) {
    if (amount <= 0 || finished) {
      return this;
    }
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    if (!started) {
      started = true;
      start();
    } else if (current != null) {
      current.fetch(amount);
    }
    return this;
  }

  /** Stops: the upstream request (or the local model's) is reset. */
  public void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    cancelCurrent.run();
    message.tryFail(new ClaudeException("stream cancelled by the consumer", null));
  }

  private void start() {
    key = chain.cacheKey(body, how);
    var cached = chain.freshStream(key);
    if (cached.isPresent()) {
      use(cached.get());
      return;
    }
    call = live.get();
    chain.streamed(key, call.message());
    StreamCall c = call;
    use(new Degradation.Replacement(c, c.message(), c::cancel, null));
  }

  private void use(Degradation.Replacement source) {
    ReadStream<StreamEvent> events = source.events();
    current = events;
    cancelCurrent = source.cancel();
    degraded = source.level();
    events.handler(
        e -> {
          if (current != events || finished) {
            return;
          }
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          delivered++;
          if (handler != null) {
            handler.handle(e);
          }
        });
    events.exceptionHandler(t -> onFailure(events, t));
    events.endHandler(v -> onEnd(events, source.message()));
    if (demand > 0) {
      events.fetch(demand);
    }
  }

  private void onEnd(ReadStream<StreamEvent> events, Future<Message> whole) {
    if (current != events || finished) {
      return;
    }
    finished = true;
    whole.onComplete(
        ar -> {
          if (ar.succeeded()) {
            message.tryComplete(ar.result());
          } else {
            message.tryFail(ar.cause());
          }
        });
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void onFailure(ReadStream<StreamEvent> events, Throwable t) {
    if (current != events || finished) {
      return;
    }
    boolean fromRegions = events == call && degraded == null;
    if (fromRegions
        && delivered == 0
        && !(t instanceof StreamInterruptedException)
        && chain.degradesStream(t)) {
      current = null; // events of the failed call are ignored from now on
      cancelCurrent = () -> {};
      chain
          .fallbackStream(request, body, key, how, t)
          .onComplete(
              ar -> {
                if (finished) {
                  if (ar.succeeded()) {
                    ar.result().cancel().run(); // the consumer left meanwhile
                  }
                } else if (ar.succeeded()) {
                  use(ar.result());
                } else {
                  fail(ar.cause());
                }
              });
      return;
    }
    fail(t);
  }

  private void fail(Throwable t) {
    if (finished) {
      return;
    }
    finished = true;
    message.tryFail(t);
    if (exceptionHandler != null) {
      exceptionHandler.handle(t);
    }
  }
}
