package dev.clauderelay.client;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.api.error.MalformedResponseException;
import dev.clauderelay.engine.CallResult;
import dev.clauderelay.engine.DegradableStream;
import dev.clauderelay.engine.DegradeRequest;
import dev.clauderelay.engine.Engine;
import dev.clauderelay.engine.EngineConfig;
import dev.clauderelay.engine.RegionSpec;
import dev.clauderelay.metrics.RelayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The public Java API: Anthropic calls with the relay's retry policy, as Vert.x {@link Future}s or,
 * through {@link #mutiny()}, as Mutiny {@link Uni}s. Results arrive on the caller's context (a new
 * event-loop context when the caller is not on one). Create one per application and keep it: it
 * owns connection pools.
 */
public final class ClaudeClient {
  private final Vertx vertx;
  private final ClaudeClientOptions options;
  private final Engine engine;
  private final RelayMetrics metrics;
  private final MutinyClaudeClient mutiny;

  private ClaudeClient(
      Vertx vertx,
      ClaudeClientOptions options,
      Clock clock,
      DoubleSupplier random,
      RelayMetrics metrics) {
    this.vertx = vertx;
    this.options = new ClaudeClientOptions(options);
    this.metrics = metrics;
    this.engine = Engine.create(vertx, engineConfig(options), clock, random, metrics);
    this.mutiny = new MutinyClaudeClient(this);
  }

  static EngineConfig engineConfig(ClaudeClientOptions o) {
    List<RegionSpec> regions = new ArrayList<>();
    for (RegionOptions r : o.getRegions()) {
      regions.add(new RegionSpec(r.getName(), r.getBaseUrl(), r.getApiKeys(), r.getApiKeyFiles()));
    }
    return new EngineConfig(
        regions,
        o.getAnthropicVersion(),
        new EngineConfig.Retry(
            o.getMaxRetries(),
            o.getInitialBackoffMs(),
            o.getMaxBackoffMs(),
            o.getMaxRetryAfterMs(),
            o.getDeadlineMs()),
        new EngineConfig.Transport(
            o.getConnectTimeoutMs(),
            o.getResponseTimeoutMs(),
            o.getIdleTimeoutMs(),
            o.getMaxConnections(),
            o.getMaxWaitQueue()),
        o.getStreamIdleTimeoutMs(),
        o.isStreamPingsAreActivity(),
        o.isStreamResume(),
        new EngineConfig.Breaker(
            o.getBreakerMaxFailures(),
            o.getBreakerWindowMs(),
            o.getBreakerResetTimeoutMs(),
            o.getBreakerRampMs()),
        new EngineConfig.Pacing(o.getRequestsPerMinute(), o.isAdaptivePacing(), o.getMaxQueued()),
        o.getProxy(),
        o.getCaFile() == null ? null : java.nio.file.Path.of(o.getCaFile()),
        new EngineConfig.Degrade(
            o.isCacheEnabled(),
            o.getCacheTtlMs(),
            o.getCacheMaxEntries(),
            o.getLocalModelBaseUrl() == null
                ? null
                : new EngineConfig.LocalModel(
                    o.getLocalModelBaseUrl(), o.getLocalModelName(), o.getLocalModelApiKey()),
            o.getPendingDir() == null ? null : java.nio.file.Path.of(o.getPendingDir()),
            o.getMaxPendingTasks()));
  }

  /** A client with its own Prometheus registry ({@link #metrics()}). */
  public static ClaudeClient create(Vertx vertx, ClaudeClientOptions options) {
    return create(vertx, options, RelayMetrics.prometheus().registry());
  }

  /** A client whose meters go to {@code registry} (e.g. the one Vert.x's own metrics use). */
  public static ClaudeClient create(
      Vertx vertx, ClaudeClientOptions options, MeterRegistry registry) {
    return new ClaudeClient(
        vertx,
        options,
        Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble(),
        new RelayMetrics(registry));
  }

  /** For tests and simulations that need a fixed clock or jitter. */
  public static ClaudeClient create(
      Vertx vertx, ClaudeClientOptions options, Clock clock, DoubleSupplier random) {
    return new ClaudeClient(vertx, options, clock, random, RelayMetrics.prometheus());
  }

  /** The client's meters (DESIGN.md's names); {@code metrics().scrape()} is Prometheus text. */
  public RelayMetrics metrics() {
    return metrics;
  }

  public ClaudeClientOptions options() {
    return new ClaudeClientOptions(options);
  }

  /** The same calls as Mutiny {@link Uni}s. */
  public MutinyClaudeClient mutiny() {
    return mutiny;
  }

  /** {@code POST /v1/messages} (not streamed). */
  public Future<Message> messages(JsonObject request) {
    return messages(request, new CallOptions());
  }

  public Future<Message> messages(JsonObject request, CallOptions call) {
    return toFuture(mutiny.messages(request, call));
  }

  /** {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}}. */
  public Future<JsonObject> countTokens(JsonObject request) {
    return countTokens(request, new CallOptions());
  }

  public Future<JsonObject> countTokens(JsonObject request, CallOptions call) {
    return toFuture(mutiny.countTokens(request, call));
  }

  /** {@code GET /v1/models}: the first page of the model list. */
  public Future<JsonObject> models() {
    return toFuture(mutiny.models(new CallOptions()));
  }

  /**
   * Any Anthropic call through the pipeline (retries, failover, pacing), answered as it came: for
   * adapters that forward bodies and headers. A {@code POST /v1/messages} body is checked first
   * like {@link #messages}; failures are the same exceptions.
   */
  public Future<Exchange> exchange(
      HttpMethod method, String path, JsonObject body, CallOptions call) {
    return toFuture(exchangeUni(method, path, body, null, call));
  }

  /**
   * {@link #exchange(HttpMethod, String, JsonObject, CallOptions)} for an adapter that received the
   * body as JSON text: {@code bytes} (what {@code body} was parsed from) go upstream unchanged, so
   * the caller's JSON arrives as it was written and is not encoded a second time; {@code body} is
   * still what the checks, the cache key and the degradation steps read.
   */
  public Future<Exchange> exchange(
      HttpMethod method, String path, JsonObject body, Buffer bytes, CallOptions call) {
    return toFuture(exchangeUni(method, path, body, bytes, call));
  }

  Uni<Exchange> exchangeUni(
      HttpMethod method, String path, JsonObject body, Buffer bytes, CallOptions call) {
    return onCallerContext(
        () -> {
          Buffer wire = body == null ? null : bytes != null ? bytes : body.toBuffer();
          UpstreamRequest request = new UpstreamRequest(method, path, wire, call.headers());
          Uni<CallResult> result;
          if (method == HttpMethod.POST && path.equals("/v1/messages")) {
            RequestChecks.message(body, false);
            result = messagesCall(request, body, call);
          } else {
            result = call(request, call);
          }
          return result.map(
              r ->
                  new Exchange(
                      r.response().status(),
                      r.response().headerMap(),
                      r.response().body(),
                      r.region(),
                      r.attempts(),
                      r.degraded()));
        });
  }

  /**
   * {@code POST /v1/messages} with {@code "stream": true}: events as they come, with demand from
   * the consumer to the socket. Failures before the first content event are retried invisibly;
   * after it, a cut is a {@code StreamInterruptedException}. Invalid requests fail the stream.
   */
  public MessageStream stream(JsonObject request) {
    return stream(request, new CallOptions());
  }

  public MessageStream stream(JsonObject request, CallOptions call) {
    return stream(request, null, call);
  }

  /**
   * {@link #stream(JsonObject, CallOptions)} for an adapter that received the request as JSON text:
   * when {@code request} already says {@code "stream": true}, {@code bytes} (what it was parsed
   * from) go upstream unchanged instead of being encoded again; otherwise they are ignored.
   */
  public MessageStream stream(JsonObject request, Buffer bytes, CallOptions call) {
    Context ctx = vertx.getOrCreateContext();
    boolean asIs =
        bytes != null && request != null && Boolean.TRUE.equals(request.getValue("stream"));
    JsonObject body = request == null || asIs ? request : request.copy().put("stream", true);
    DegradableStream streamCall;
    try {
      RequestChecks.message(body, true);
    } catch (InvalidRequestException invalid) {
      return MessageStream.failed(invalid, ctx);
    }
    streamCall =
        engine.messagesStream(
            UpstreamRequest.post("/v1/messages", asIs ? bytes : body.toBuffer(), call.headers()),
            body,
            degrade(call),
            ctx,
            call.deadlineMs());
    return new MessageStream(streamCall, ctx);
  }

  /**
   * The engine behind this client: its regions and transports, e.g. to deploy a {@code
   * HealthVerticle} (whose probes close a region's open breaker) or to show {@code /status}.
   */
  public Engine engine() {
    return engine;
  }

  /** Regions with state, breaker, latency and last probe, for {@code /status}; never secrets. */
  public JsonObject status() {
    return engine.status();
  }

  /**
   * A pending task's state ({@code {"type":"task","task_id","state",…}}, with the Message once
   * DONE), or empty when no task has that id (or nothing is ever queued).
   */
  public Future<java.util.Optional<JsonObject>> task(String id) {
    return engine.task(id);
  }

  /** Unfinished pending tasks; -1 when this client never queues (no {@code pendingDir}). */
  public long pendingTasks() {
    return engine.pendingTasks();
  }

  /** True when at least one region can take a call now (readiness). */
  public boolean ready() {
    return engine.ready();
  }

  /** Closes the connection pools. */
  public Future<Void> close() {
    return engine.close();
  }

  Uni<Message> messagesUni(JsonObject request, CallOptions call) {
    return onCallerContext(
        () -> {
          RequestChecks.message(request, false);
          return messagesCall(
                  UpstreamRequest.post("/v1/messages", request.toBuffer(), call.headers()),
                  request,
                  call)
              .map(r -> countTokens(new Message(jsonBody(r))));
        });
  }

  Uni<JsonObject> countTokensUni(JsonObject request, CallOptions call) {
    return onCallerContext(
        () -> {
          RequestChecks.countTokens(request);
          return call(
                  UpstreamRequest.post(
                      "/v1/messages/count_tokens", request.toBuffer(), call.headers()),
                  call)
              .map(ClaudeClient::jsonBody);
        });
  }

  Uni<JsonObject> modelsUni(CallOptions call) {
    return onCallerContext(
        () ->
            call(UpstreamRequest.get("/v1/models", call.headers()), call)
                .map(ClaudeClient::jsonBody));
  }

  private Uni<CallResult> messagesCall(UpstreamRequest request, JsonObject body, CallOptions call) {
    return engine.messages(request, body, degrade(call), Vertx.currentContext(), call.deadlineMs());
  }

  private static DegradeRequest degrade(CallOptions call) {
    return new DegradeRequest(call.cache(), call.idempotencyKey(), call.queue());
  }

  private Uni<CallResult> call(UpstreamRequest request, CallOptions call) {
    return engine.pipeline().call(request, Vertx.currentContext(), call.deadlineMs());
  }

  private Message countTokens(Message message) {
    metrics.tokens(message.usage().inputTokens(), message.usage().outputTokens());
    return message;
  }

  private static JsonObject jsonBody(CallResult r) {
    try {
      return r.response().body().toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedResponseException(
          "upstream answered "
              + r.response().status()
              + " with a body that is not a JSON object ("
              + r.response().body().length()
              + " bytes)",
          r.response().requestId(),
          e);
    }
  }

  /**
   * Subscribes the work on the caller's context (or a new event-loop context) so that every
   * attempt, timer and result of the call runs there, whichever thread subscribed.
   */
  private <T> Uni<T> onCallerContext(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            em -> {
              Context ctx = vertx.getOrCreateContext();
              Runnable start =
                  () -> {
                    Uni<T> uni;
                    try {
                      uni = work.get();
                    } catch (RuntimeException invalid) {
                      em.fail(invalid);
                      return;
                    }
                    em.onTermination(uni.subscribe().with(em::complete, em::fail)::cancel);
                  };
              if (Vertx.currentContext() == ctx) {
                start.run();
              } else {
                ctx.runOnContext(v -> start.run());
              }
            });
  }

  private static <T> Future<T> toFuture(Uni<T> uni) {
    Promise<T> promise = Promise.promise();
    uni.subscribe().with(promise::complete, promise::fail);
    return promise.future();
  }
}
