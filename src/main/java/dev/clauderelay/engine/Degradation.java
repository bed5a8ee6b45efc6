package dev.clauderelay.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.MalformedResponseException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.RelayRefusalException;
import dev.clauderelay.api.error.TaskQueuedException;
import dev.clauderelay.degrade.CacheKey;
import dev.clauderelay.degrade.CacheOptions;
import dev.clauderelay.degrade.Cacheability;
import dev.clauderelay.degrade.IdempotencyKeyReusedException;
import dev.clauderelay.degrade.ListEventStream;
import dev.clauderelay.degrade.LocalModelClient;
import dev.clauderelay.degrade.LocalModelOptions;
import dev.clauderelay.degrade.PendingQueueFullException;
import dev.clauderelay.degrade.PendingStoreOptions;
import dev.clauderelay.degrade.PendingTaskStore;
import dev.clauderelay.degrade.ReplayVerdict;
import dev.clauderelay.degrade.ResponseCache;
import dev.clauderelay.degrade.SyntheticStream;
import dev.clauderelay.degrade.Task;
import dev.clauderelay.degrade.TaskReplayer;
import dev.clauderelay.metrics.RelayMetrics;
import dev.clauderelay.region.PacingException;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionBreaker;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.region.RegionTable;
import io.smallrye.mutiny.Uni;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The degradation chain of docs/degrade.md, around the pipeline: fresh cache → regions → stale
 * cache → local model → durable pending task → the relay's own 503. Each step is optional (off when
 * not configured); with none on, the pipeline's failures reach the caller unchanged.
 *
 * <p>Which failures degrade: those that say the regions cannot serve now (no usable region, pacing
 * refusal, connection failures, timeouts, garbage answers, 429, 5xx, 529, a revoked key). A
 * request's own fault (400, 404, 413, …) goes back as it is: a stale answer or another model would
 * hide a bug in the request.
 *
 * <p>When the chain runs out: an upstream error answer (429, 529, 5xx) goes back as it came, so an
 * SDK still sees its own exception type and honours its {@code retry-after} (the relay's own pacing
 * refusal too: a 429); a failure of the relay or the network becomes a {@link
 * RelayRefusalException} 503 saying what failed, what was tried, and when to retry.
 */
final class Degradation {
  private static final Logger LOG = LoggerFactory.getLogger(Degradation.class);

  static final String CACHE = "cache";
  static final String STALE_CACHE = "stale-cache";
  static final String LOCAL_MODEL = "local-model";
  static final String QUEUED = "queued";

  /** Seconds a client is told to wait when nothing says how long an outage lasts. */
  static final long DEFAULT_RETRY_AFTER_SECONDS = 5;

  /** How often the replayer's trigger looks for a region that recovered, milliseconds. */
  static final long WATCH_INTERVAL_MS = 1_000;

  private final Vertx vertx;
  private final EngineConfig.Degrade config;
  private final Pipeline pipeline;
  private final RegionTable regions;
  private final RelayMetrics metrics;
  private final Clock clock;
  private final ResponseCache cache;
  private final LocalModelClient localModel;
  private final Future<PendingTaskStore> store;
  private final Map<String, Long> probesSeen = new HashMap<>();
  private TaskReplayer replayer;
  private long watchTimer = -1;
  private long startTimer = -1;
  private boolean closed;

  private Degradation(
      Vertx vertx,
      EngineConfig.Degrade config,
      Pipeline pipeline,
      RegionTable regions,
      RelayMetrics metrics,
      Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.pipeline = pipeline;
    this.regions = regions;
    this.metrics = metrics;
    this.clock = clock;
    this.cache =
        config.cacheEnabled()
            ? new ResponseCache(
                CacheOptions.of(true, config.cacheTtlMs(), config.cacheMaxEntries()),
                ticker(clock),
                metrics)
            : null;
    EngineConfig.LocalModel local = config.localModel();
    this.localModel =
        local == null
            ? null
            : new LocalModelClient(
                vertx, LocalModelOptions.of(local.baseUrl(), local.model(), local.apiKey()));
    this.store =
        config.pendingDir() == null
            ? null
            : PendingTaskStore.open(
                    vertx,
                    PendingStoreOptions.of(config.pendingDir(), config.maxPendingTasks()),
                    clock,
                    metrics)
                .onFailure(
                    e ->
                        LOG.error(
                            "pending tasks: cannot open the store in {}: {}; requests will not be"
                                + " queued",
                            config.pendingDir(),
                            e.toString()));
  }

  static Degradation create(
      Vertx vertx,
      EngineConfig.Degrade config,
      Pipeline pipeline,
      RegionTable regions,
      RelayMetrics metrics,
      Clock clock) {
    Degradation d = new Degradation(vertx, config, pipeline, regions, metrics, clock);
    if (d.store != null) {
      d.store.onSuccess(d::startReplay);
    }
    return d;
  }

  /**
   * Caffeine wants nanoseconds that only go forward; a test's clock drives it when one is given.
   */
  private static Ticker ticker(Clock clock) {
    return Clock.systemUTC().equals(clock)
        ? Ticker.systemTicker()
        : () -> Math.multiplyExact(clock.millis(), 1_000_000L);
  }

  // ---- non-streamed calls ---------------------------------------------------------------------

  /** A call through the chain; see the class comment. */
  Uni<CallResult> call(
      UpstreamRequest request, JsonObject body, DegradeRequest how, Context ctx, long deadlineMs) {
    CacheKey key = cacheKey(body, how);
    if (key != null) {
      Optional<Message> hit = cache.fresh(key);
      if (hit.isPresent()) {
        return Uni.createFrom().item(served(hit.get(), CACHE));
      }
    }
    Uni<CallResult> live = pipeline.call(request, ctx, deadlineMs).invoke(r -> stored(key, r));
    if (config.none()) {
      return live;
    }
    return live.onFailure(Degradation::degradable)
        .recoverWithUni(f -> uni(fallback(request, body, key, how, f)));
  }

  private Future<CallResult> fallback(
      UpstreamRequest request, JsonObject body, CacheKey key, DegradeRequest how, Throwable f) {
    List<String> tried = new ArrayList<>();
    Optional<Message> stale = stale(key, body, tried);
    if (stale.isPresent()) {
      return Future.succeededFuture(served(stale.get(), STALE_CACHE));
    }
    Future<CallResult> local =
        localModel == null
            ? Future.failedFuture(new ClaudeException("not configured", null))
            : localModel.complete(body).map(m -> served(m, LOCAL_MODEL));
    return local.recover(
        e -> {
          tried.add("local model: " + e.getMessage());
          return queueOrRefuse(request, body, how, f, tried);
        });
  }

  // ---- streamed calls -------------------------------------------------------------------------

  /** A replacement for the regions' stream: events, the whole message, how to stop, the level. */
  record Replacement(
      ReadStream<StreamEvent> events, Future<Message> message, Runnable cancel, String level) {}

  /** The cached answer as a stream, when the request is cacheable and a fresh answer is held. */
  Optional<Replacement> freshStream(CacheKey key) {
    return key == null ? Optional.empty() : cache.fresh(key).map(m -> replay(m, CACHE));
  }

  /** Stores a streamed answer once complete (only a finished message; never a cut one). */
  void streamed(CacheKey key, Future<Message> message) {
    if (key != null) {
      message.onSuccess(m -> cache.put(key, m));
    }
    message.onSuccess(m -> liveSuccess());
  }

  /** Whether a stream that failed before any event should go down the chain. */
  boolean degradesStream(Throwable f) {
    return !config.none() && degradable(f);
  }

  /** The next step after a stream failed before any event. Fails as the chain runs out. */
  Future<Replacement> fallbackStream(
      UpstreamRequest request, JsonObject body, CacheKey key, DegradeRequest how, Throwable f) {
    List<String> tried = new ArrayList<>();
    Optional<Message> stale = stale(key, body, tried);
    if (stale.isPresent()) {
      return Future.succeededFuture(replay(stale.get(), STALE_CACHE));
    }
    Future<Replacement> local =
        localModel == null
            ? Future.failedFuture(new ClaudeException("not configured", null))
            : localModel.stream(body)
                .map(
                    s -> {
                      metrics.degraded(LOCAL_MODEL);
                      return new Replacement(s, s.message(), s::cancel, LOCAL_MODEL);
                    });
    return local.recover(
        e -> {
          tried.add("local model: " + e.getMessage());
          return queueOrRefuse(request, body, how, f, tried).map(r -> (Replacement) null);
        });
  }

  private Replacement replay(Message m, String level) {
    metrics.degraded(level);
    return new Replacement(
        new ListEventStream(SyntheticStream.of(m)), Future.succeededFuture(m), () -> {}, level);
  }

  // ---- shared steps ---------------------------------------------------------------------------

  /**
   * The request's cache key, or null when it bypasses the cache. Counts a bypass: call it once per
   * request.
   */
  CacheKey cacheKey(JsonObject body, DegradeRequest how) {
    if (cache == null || body == null) {
      return null;
    }
    return cache.decide(body, how.cacheHeader()) == Cacheability.CACHE ? CacheKey.of(body) : null;
  }

  private Optional<Message> stale(CacheKey key, JsonObject body, List<String> tried) {
    if (cache == null) {
      tried.add("cache: off");
      return Optional.empty();
    }
    if (key == null) {
      tried.add("cache: request not cacheable (temperature is not 0 and no x-relay-cache: on)");
      return Optional.empty();
    }
    Optional<Message> stale = cache.stale(key);
    if (stale.isEmpty()) {
      tried.add("stale cache: no earlier answer");
    }
    return stale;
  }

  /** Queues the request when allowed; else the refusal. Always a failed future. */
  private <T> Future<T> queueOrRefuse(
      UpstreamRequest request,
      JsonObject body,
      DegradeRequest how,
      Throwable f,
      List<String> tried) {
    if (store == null) {
      tried.add("queue: off (no degrade.pendingDir)");
      return Future.failedFuture(refusal(f, tried));
    }
    if (!how.queueable()) {
      tried.add("queue: the request has no idempotency-key (or x-relay-queue: on)");
      return Future.failedFuture(refusal(f, tried));
    }
    JsonObject task = body.copy();
    task.remove("stream"); // replayed as one call; its answer is read as a Message
    Promise<T> result = Promise.promise();
    store
        .compose(s -> s.enqueue(how.idempotencyKey(), task, request.forwardHeaders()))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                metrics.degraded(QUEUED);
                Task t = ar.result().task();
                LOG.info(
                    "pending task {} {} ({})",
                    t.id(),
                    ar.result().created() ? "queued" : "already queued",
                    f.getMessage());
                result.fail(new TaskQueuedException(t.id(), ar.result().created(), f));
              } else if (ar.cause() instanceof IdempotencyKeyReusedException reused) {
                result.fail(
                    new RelayRefusalException(
                        422, "invalid_request_error", reused.getMessage(), 0, null));
              } else if (ar.cause() instanceof PendingQueueFullException full) {
                tried.add("queue: " + full.getMessage());
                result.fail(refusal(f, tried));
              } else {
                tried.add("queue: the pending-task store failed: " + ar.cause().getMessage());
                result.fail(refusal(f, tried));
              }
            });
    return result.future();
  }

  /**
   * The end of the chain: an upstream answer as it came, the relay's own rate limit as it is (a 429
   * the client should slow down for), anything else a 503 that explains.
   */
  private Throwable refusal(Throwable f, List<String> tried) {
    if (f instanceof ApiException || f instanceof PacingException) {
      return f;
    }
    long seconds = DEFAULT_RETRY_AFTER_SECONDS;
    if (f instanceof NoUsableRegionException none && none.retryAtMs() >= 0) {
      seconds = Math.max(1, (none.retryAtMs() - clock.millis() + 999) / 1000);
    }
    RelayRefusalException e =
        new RelayRefusalException(
            503,
            "api_error",
            "no region can serve the request now ("
                + f.getMessage()
                + "); fallbacks tried: "
                + String.join("; ", tried)
                + ". Retry after "
                + seconds
                + " s",
            seconds,
            f);
    if (f instanceof ClaudeException ce) {
      e.withContext(ce.region(), ce.attempts());
    }
    return e;
  }

  private CallResult served(Message m, String level) {
    metrics.degraded(level);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    return new CallResult(
        new UpstreamResponse(200, headers, m.toJson().toBuffer()), null, 0, level);
  }

  private void stored(CacheKey key, CallResult r) {
    if (key != null && r.response().isSuccess()) {
      try {
        cache.put(key, new Message(r.response().body().toJsonObject()));
      } catch (DecodeException | ClassCastException notJson) {
        // The caller's parse reports it; an unreadable answer is simply not cached.
      }
    }
    liveSuccess();
  }

  /**
   * Region faults: the request itself was fine. {@link ReplayVerdict} reads the API errors the same
   * way for replays; pacing refusals and garbage answers are the relay's and the region's.
   */
  static boolean degradable(Throwable f) {
    if (f instanceof PacingException || f instanceof MalformedResponseException) {
      return true;
    }
    if (f instanceof ApiException api && api.status() >= 500) {
      return true;
    }
    return ReplayVerdict.of(f) != ReplayVerdict.REQUEST_FAULT;
  }

  // ---- pending tasks --------------------------------------------------------------------------

  /** The task's client view ({@link Task#toStatusJson()}), or empty when unknown. */
  Future<Optional<JsonObject>> task(String id) {
    if (store == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return store.compose(s -> s.get(id)).map(t -> t.map(Task::toStatusJson));
  }

  /** Unfinished tasks, or -1 when there is no queue. */
  long pendingTasks() {
    if (store == null) {
      return -1;
    }
    PendingTaskStore s = store.result();
    return s == null ? 0 : s.pendingCount();
  }

  private void startReplay(PendingTaskStore s) {
    if (closed) {
      return;
    }
    replayer = new TaskReplayer(vertx, s, this::replay);
    if (s.recoveredInFlight() > 0) {
      LOG.warn(
          "pending tasks: {} were running when the relay stopped; they run again",
          s.recoveredInFlight());
    }
    regions.regions().forEach(this::watchBreaker);
    watchTimer = vertx.setPeriodic(WATCH_INTERVAL_MS, t -> watch());
    if (s.pendingCount() > 0) {
      // Not at once: right after a restart the breakers are closed whatever the regions' state,
      // and a crash loop during an outage would spend the oldest task's attempts. The first
      // successful probe (or live call) starts the drain; without probes, the recheck does.
      LOG.info(
          "pending tasks: {} waiting; replay starts when a region answers (at the latest in {} s)",
          s.pendingCount(),
          TaskReplayer.DEFAULT_RECHECK_MS / 1000);
      startTimer = vertx.setTimer(TaskReplayer.DEFAULT_RECHECK_MS, t -> signal());
    }
  }

  /** One task through the pipeline (so pacing spaces the drain), its answer read as a Message. */
  private Future<Message> replay(Task task) {
    UpstreamRequest request =
        UpstreamRequest.post("/v1/messages", task.request().toBuffer(), task.headers());
    Promise<Message> result = Promise.promise();
    pipeline
        .call(request, vertx.getOrCreateContext(), 0)
        .map(r -> new Message(r.response().body().toJsonObject()))
        .subscribe()
        .with(result::complete, result::fail);
    return result.future();
  }

  /**
   * A breaker closing means a probe got through after an outage: try the queue. (OPEN → HALF_OPEN
   * is only the reset timer: nothing is known yet.)
   */
  private void watchBreaker(Region region) {
    RegionBreaker.Listener listener =
        (from, to) -> {
          if (to == CircuitBreakerState.CLOSED && from != CircuitBreakerState.CLOSED) {
            signal();
          }
        };
    region.breaker().addListener(listener);
  }

  /** While tasks wait: a new successful probe of a usable region is a signal to drain. */
  private void watch() {
    if (pendingTasks() <= 0) {
      return;
    }
    long now = clock.millis();
    for (Region region : regions.regions()) {
      ProbeResult probe = region.lastProbe();
      if (probe == null) {
        continue;
      }
      Long seen = probesSeen.put(region.name(), probe.atMs());
      if ((seen == null || seen < probe.atMs())
          && probe.state() == RegionState.UP
          && region.usable(now)) {
        signal();
        return;
      }
    }
  }

  private void liveSuccess() {
    if (replayer != null && pendingTasks() > 0) {
      signal();
    }
  }

  private void signal() {
    TaskReplayer r = replayer;
    if (r != null && !closed) {
      r.regionUsable();
    }
  }

  Future<Void> close() {
    closed = true;
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
    }
    if (startTimer >= 0) {
      vertx.cancelTimer(startTimer);
    }
    List<Future<?>> closing = new ArrayList<>();
    if (replayer != null) {
      replayer.close();
      closing.add(replayer.idle());
    }
    if (localModel != null) {
      closing.add(localModel.close());
    }
    if (store != null) {
      closing.add(
          Future.all(closing)
              .transform(ar -> store)
              .compose(PendingTaskStore::close, e -> Future.succeededFuture()));
    }
    return Future.all(closing).mapEmpty();
  }

  private static <T> Uni<T> uni(Future<T> future) {
    return Uni.createFrom()
        .emitter(
            em ->
                future.onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        em.complete(ar.result());
                      } else {
                        em.fail(ar.cause());
                      }
                    }));
  }
}
