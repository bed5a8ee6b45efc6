package dev.clauderelay.engine;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.MessageAccumulator;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.MalformedResponseException;
import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.api.sse.SseFrame;
import dev.clauderelay.transport.StreamSettings;
import dev.clauderelay.transport.sse.SseStream;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed call as a {@link ReadStream} of events, with demand from the consumer down to the
 * socket.
 *
 * <p>Two phases. <b>Opening</b>: attempts (with the pipeline's retries) read until the first
 * content event; an error status, a connection failure, an {@code event: error}, a stall or an end
 * before content fails the attempt and the next one starts, invisibly to the consumer. Only {@code
 * message_start} is held back meanwhile. <b>Delivering</b>: events flow as the consumer asks; a
 * failure now is a {@link StreamInterruptedException} carrying the partial message, and an end
 * without {@code message_stop} is one too: a cut stream never looks complete.
 *
 * <p>Confined to the caller's context; call its methods there.
 */
public final class StreamCall implements ReadStream<StreamEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamCall.class);

  private final Pipeline pipeline;
  private UpstreamRequest request;
  private final Context ctx;
  private final long deadlineMs;
  private final StreamSettings settings;
  private final MessageAccumulator accumulator = new MessageAccumulator();
  private final Promise<Message> message = Promise.promise();
  private final ArrayDeque<StreamEvent> held = new ArrayDeque<>(2);

  private Handler<StreamEvent> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long demand;
  private boolean started;
  private boolean finished;
  private boolean sawStop;
  private boolean pulling;
  private long delivered;
  private Pipeline.CallState call;
  private Cancellable opening;
  private SseStream live;
  private Map<String, String> headers = Map.of();
  private final int maxResumes;
  private int resumes;
  private StreamSplice splice;
  private int openBlock = -1;
  private String openBlockType;

  StreamCall(
      Pipeline pipeline,
      UpstreamRequest request,
      Context ctx,
      long deadlineMs,
      StreamSettings settings,
      int maxResumes) {
    this.maxResumes = maxResumes;
    this.pipeline = pipeline;
    this.request = request;
    this.ctx = ctx;
    this.deadlineMs = deadlineMs;
    this.settings = settings;
  }

  /** The whole message once {@code message_stop} arrived; fails as the stream fails. */
  public Future<Message> message() {
    return message.future();
  }

  /** Region that served the stream (after it opened). */
  public String region() {
    return call == null ? null : call.region;
  }

  /** Attempts made to open it. */
  public int attempts() {
    return call == null ? 0 : call.attempts;
  }

  /** Response headers of the attempt that opened the stream (lower-case names). */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public StreamCall handler(Handler<StreamEvent> handler) {
    this.handler = handler;
    if (handler == null) {
      cancel();
    }
    return this;
  }

  @Override
  public StreamCall exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public StreamCall endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public StreamCall pause() {
    demand = 0;
    return this;
  }

  @Override
  public StreamCall resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public StreamCall fetch(long amount) {
    if (amount <= 0 || finished) {
      return this;
    }
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    if (!started) {
      started = true;
      open();
    } else {
      deliver();
    }
    return this;
  }

  /** Stops the call: the upstream request is reset and its connection released. */
  public void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    if (opening != null) {
      opening.cancel();
    }
    if (live != null) {
      live.cancel();
    }
    message.tryFail(new ClaudeException("stream cancelled by the consumer", null));
  }

  private void open() {
    call = pipeline.newCall(request, deadlineMs);
    opening =
        pipeline
            .retrying(call, ctx, this::attemptOpen)
            .onFailure()
            .transform(f -> pipeline.finish(call, request, f))
            .subscribe()
            .with(this::onOpened, this::fail);
  }

  /** One attempt: choose and pace, open, then read until the first content event. */
  private Uni<SseStream> attemptOpen() {
    return pipeline.prepare(call, ctx).chain(target -> open(target));
  }

  private Uni<SseStream> open(Target target) {
    long left = pipeline.timeLeft(call);
    held.clear();
    return Uni.createFrom()
        .emitter(
            em -> {
              SseStream[] opened = {null};
              boolean[] primed = {false};
              // Runs on failure and cancellation too: an attempt that did not open cleanly
              // releases its connection.
              em.onTermination(
                  () -> {
                    if (!primed[0] && opened[0] != null) {
                      opened[0].cancel();
                    }
                  });
              long sentNanos = System.nanoTime();
              target
                  .transport()
                  .openStream(request, target.apiKey(), left, settings)
                  .onFailure(
                      t -> {
                        countAttempt(target, 0, sentNanos);
                        pipeline.onAttemptFailed(target, t);
                        em.fail(t);
                      })
                  .onSuccess(
                      start -> {
                        countAttempt(target, start.head().status(), sentNanos);
                        pipeline.onResponseHead(call, target, start.head().headerMap());
                        if (!start.isLive()) {
                          ApiException e = pipeline.toApiException(start.head());
                          pipeline.onAttemptFailed(target, e);
                          em.fail(e);
                          return;
                        }
                        pipeline.recordStreamLatency(call, target);
                        SseStream stream = start.stream();
                        opened[0] = stream;
                        Map<String, String> head = start.head().headerMap();
                        stream.exceptionHandler(
                            t -> {
                              pipeline.onAttemptFailed(target, t);
                              em.fail(beforeContent(t));
                            });
                        stream.endHandler(
                            v ->
                                em.fail(
                                    new ConnectionException(
                                        ConnectionException.Kind.CLOSED,
                                        "stream ended before any content",
                                        null)));
                        stream.handler(
                            frame -> {
                              StreamEvent event;
                              try {
                                event = parse(frame, head);
                              } catch (ClaudeException bad) {
                                em.fail(bad);
                                return;
                              }
                              switch (event.type()) {
                                case "ping" -> {}
                                case "error" ->
                                    em.fail(ErrorEvents.toException(frame.data(), head));
                                case "message_start" -> held.add(event);
                                default -> {
                                  held.add(event);
                                  stream.pause();
                                  headers = head;
                                  primed[0] = true;
                                  pipeline.onAttemptSucceeded(call, target, request);
                                  em.complete(stream);
                                }
                              }
                            });
                        stream.resume();
                      });
            });
  }

  /** {@code anthropic_requests_total} / latency per attempt, as the pipeline counts its own. */
  private void countAttempt(Target target, int status, long sentNanos) {
    pipeline
        .metrics()
        .attempt(
            request.method().name(),
            request.path(),
            status,
            target.name(),
            System.nanoTime() - sentNanos);
  }

  private void onOpened(SseStream stream) {
    opening = null;
    if (finished) {
      stream.cancel();
      return;
    }
    live = stream;
    stream.exceptionHandler(this::onLiveFailure);
    stream.endHandler(v -> onLiveEnd());
    stream.handler(this::onLiveFrame);
    deliver();
  }

  private void deliver() {
    while (demand > 0 && !held.isEmpty() && !finished) {
      emit(held.poll());
    }
    pull();
  }

  private void pull() {
    if (live != null && !finished && demand > 0 && held.isEmpty() && !pulling) {
      pulling = true;
      live.fetch(1);
    }
  }

  private void onLiveFrame(SseFrame frame) {
    pulling = false;
    if (live == null) {
      return;
    }
    StreamEvent event;
    try {
      event = parse(frame, headers);
    } catch (ClaudeException bad) {
      interrupt("malformed_event", bad);
      return;
    }
    switch (event.type()) {
      case "ping" -> {}
      case "error" -> interrupt("error_event", ErrorEvents.toException(frame.data(), headers));
      default -> emit(event);
    }
    pull();
  }

  private void emit(StreamEvent raw) {
    StreamEvent event = splice == null ? raw : splice.map(raw);
    if (event == null) {
      return;
    }
    trackOpenBlock(event);
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    accumulator.accept(event);
    if ("message_stop".equals(event.type())) {
      sawStop = true;
    }
    delivered++;
    if (handler != null) {
      handler.handle(event);
    }
  }

  private void trackOpenBlock(StreamEvent event) {
    if ("content_block_start".equals(event.type())) {
      openBlock = event.data().getInteger("index", 0);
      openBlockType =
          event.data().getValue("content_block") instanceof JsonObject b
              ? b.getString("type")
              : null;
    } else if ("content_block_stop".equals(event.type())) {
      openBlock = -1;
      openBlockType = null;
    }
  }

  /**
   * With {@code stream.resume}, a cut inside a text block re-requests the rest (see {@link
   * StreamResume}) and splices it in: the consumer sees one stream.
   */
  private boolean tryResume(String reason) {
    if (resumes >= maxResumes || openBlock < 0 || !"text".equals(openBlockType)) {
      return false;
    }
    Message partial = accumulator.snapshot();
    JsonObject original;
    try {
      original = request.body() == null ? null : request.body().toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
    StreamResume.Plan plan = StreamResume.plan(original, partial);
    if (plan == null) {
      return false;
    }
    resumes++;
    if (live != null) {
      live.cancel();
      live = null;
    }
    pulling = false;
    LOG.info(
        "{} {} stream {} after {} events on {}; resuming ({} of {}) request-id={}",
        request.method(),
        request.path(),
        reason,
        delivered,
        call.region,
        resumes,
        maxResumes,
        headers.get("request-id"));
    pipeline.metrics().streamInterrupted(reason);
    splice =
        new StreamSplice(
            openBlock,
            plan.strippedSuffix(),
            partial.usage().inputTokens(),
            partial.usage().outputTokens());
    request =
        new UpstreamRequest(
            request.method(), request.path(), plan.body().toBuffer(), request.forwardHeaders());
    open();
    return true;
  }

  private void onLiveEnd() {
    if (finished) {
      return;
    }
    if (!sawStop) {
      interrupt(
          "no_message_stop",
          new ConnectionException(
              ConnectionException.Kind.CLOSED,
              "stream ended without message_stop"
                  + (live.cutInsideEvent() ? " (cut inside an event)" : ""),
              null));
      return;
    }
    finished = true;
    Message done = accumulator.snapshot();
    // The outcome line; at DEBUG when the caller (the gateway) writes its own for the request.
    outcomeLog(
        "{} {} streamed region={} attempts={} events={} request-id={}",
        request.method(),
        request.path(),
        call.region,
        call.attempts,
        delivered,
        headers.get("request-id"));
    message.tryComplete(done);
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void onLiveFailure(Throwable t) {
    boolean stall =
        t instanceof ClaudeTimeoutException timeout
            && timeout.phase() == ClaudeTimeoutException.Phase.BODY;
    interrupt(stall ? "stall" : "cut", t);
  }

  private void interrupt(String reason, Throwable cause) {
    if (finished) {
      return;
    }
    if (tryResume(reason)) {
      return;
    }
    if (live != null) {
      live.cancel();
    }
    StreamInterruptedException e =
        new StreamInterruptedException(
            reason, accumulator.snapshot(), delivered, headers.get("request-id"), cause);
    e.withContext(call.region, call.attempts);
    pipeline.metrics().streamInterrupted(reason);
    outcomeLog(
        "{} {} stream interrupted region={} attempts={} events={} request-id={} reason={}",
        request.method(),
        request.path(),
        call.region,
        call.attempts,
        delivered,
        headers.get("request-id"),
        reason);
    fail(e);
  }

  private void outcomeLog(String format, Object... args) {
    if (call.callerLogs) {
      LOG.debug(format, args);
    } else {
      LOG.info(format, args);
    }
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

  /**
   * A stall before any content is as safe to retry as a response that never came: nothing reached
   * the consumer. (After content, the same stall is an interruption.)
   */
  private static Throwable beforeContent(Throwable t) {
    if (t instanceof ClaudeTimeoutException timeout
        && timeout.phase() == ClaudeTimeoutException.Phase.BODY) {
      return new ClaudeTimeoutException(
          ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
          "stream opened but sent no content: " + timeout.getMessage());
    }
    return t;
  }

  private static StreamEvent parse(SseFrame frame, Map<String, String> head) {
    JsonObject data;
    try {
      data = new JsonObject(frame.data());
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedResponseException(
          "stream event '" + frame.event() + "' carries data that is not a JSON object",
          head.get("request-id"),
          e);
    }
    String type = frame.event();
    if ("message".equals(type) && data.getValue("type") instanceof String t) {
      type = t;
    }
    return new StreamEvent(type, data, frame.data());
  }
}
