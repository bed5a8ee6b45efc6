package dev.clauderelay.engine;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.AuthenticationException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.NoUsableRegionException;
import dev.clauderelay.api.error.RateLimitException;
import dev.clauderelay.api.error.SpendLimitReachedException;
import dev.clauderelay.metrics.RelayMetrics;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.transport.InFlight;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.StreamSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every call takes: choose a region and key → wait for the pacer's permit → attempt →
 * classify → fail over or retry with a wait on a Vert.x timer → final outcome. Adapters (Java API,
 * gateway, event bus) never retry on their own.
 *
 * <p>Failover (DESIGN.md "429 is not 529"): a failure that is the region's fault (5xx, 529,
 * timeout, connection) counts against its breaker and the next attempt goes to another usable
 * region at once; a 429 pauses that key and a 401 revokes it, and the next attempt takes another
 * key or region at once. Only when nothing else can serve does the attempt wait (backoff, or the
 * {@code retry-after}) and go back to the same place.
 *
 * <p>Everything runs on the caller's context: the first attempt is subscribed there, each wait is a
 * timer of that context, so each retry and the result arrive there too.
 *
 * <p>{@link #call} is the hot path of every non-streamed request, so it runs its attempts with
 * plain callbacks and one Mutiny emitter for the caller, rather than a Mutiny retry chain per call.
 * Streams ({@link StreamCall}) open through {@link #retrying}, attempts as {@link Uni}s; both take
 * the same decisions ({@link #decide}).
 *
 * <p>Each call's outcome is logged once at INFO ({@code … status=200 region=… attempts=…}), unless
 * the caller's context says that it logs outcomes itself ({@link #OUTCOME_LOGGED_BY_CALLER}, the
 * gateway's access log): then at DEBUG, so that a request still makes one INFO line, not two.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /**
   * Context data key ({@link Context#put}): a context whose value for it is {@link Boolean#TRUE}
   * logs each call's outcome itself, so the pipeline logs its outcome lines for calls made there at
   * DEBUG instead of INFO. The gateway sets it on its verticle's context (the same string, since
   * the gateway may not import this package).
   */
  public static final String OUTCOME_LOGGED_BY_CALLER = "claude-relay.outcome-logged-by-caller";

  private final RetryPolicy policy;
  private final RegionTable regions;
  private final Map<String, RegionTransport> transports;
  private final Clock clock;
  private final DoubleSupplier random;
  private final RelayMetrics metrics;

  public Pipeline(
      RetryPolicy policy,
      RegionTable regions,
      Map<String, RegionTransport> transports,
      Clock clock,
      DoubleSupplier random,
      RelayMetrics metrics) {
    this.policy = policy;
    this.regions = regions;
    this.transports = Map.copyOf(transports);
    this.clock = clock;
    this.random = random;
    this.metrics = metrics;
  }

  public RelayMetrics metrics() {
    return metrics;
  }

  public RegionTable regions() {
    return regions;
  }

  /**
   * Runs {@code request} to a successful (2xx) answer or a final {@link ClaudeException}.
   *
   * @param deadlineMs the whole call's limit; 0 or less takes the policy's ({@code
   *     retry.deadlineMs})
   */
  public Uni<CallResult> call(UpstreamRequest request, Context ctx, long deadlineMs) {
    return Uni.createFrom()
        .emitter(
            em -> {
              Call call = new Call(request, ctx, newCall(request, deadlineMs, ctx), em);
              em.onTermination(call::terminated);
              if (ctx == null || Vertx.currentContext() == ctx) {
                call.attempt();
              } else {
                ctx.runOnContext(v -> call.attempt());
              }
            });
  }

  /**
   * A streamed call. Opening (until the first content event) goes through the same choice of
   * region, pacing and retries as {@link #call}; after that, a failure is a {@code
   * StreamInterruptedException}. Nothing is sent until the consumer first asks for events.
   */
  public StreamCall stream(
      UpstreamRequest request,
      Context ctx,
      long deadlineMs,
      StreamSettings settings,
      int maxResumes) {
    return new StreamCall(this, request, ctx, deadlineMs, settings, maxResumes);
  }

  CallState newCall(UpstreamRequest request, long deadlineMs) {
    return newCall(request, deadlineMs, Vertx.currentContext());
  }

  private CallState newCall(UpstreamRequest request, long deadlineMs, Context ctx) {
    long now = clock.millis();
    CallState st = new CallState(now, now + (deadlineMs > 0 ? deadlineMs : policy.deadlineMs()));
    st.method = request.method().name();
    st.path = request.path();
    st.callerLogs = ctx != null && Boolean.TRUE.equals(ctx.get(OUTCOME_LOGGED_BY_CALLER));
    return st;
  }

  /** Runs {@code attempt} until it succeeds or the policy says stop; waits on {@code ctx}. */
  <T> Uni<T> retrying(CallState st, Context ctx, Supplier<Uni<? extends T>> attempt) {
    return Uni.createFrom()
        .emitter(
            em -> {
              Retrying<T> run = new Retrying<>(st, ctx, attempt, em);
              em.onTermination(run::terminated);
              run.attempt();
            });
  }

  /**
   * Counts an attempt, chooses its region and key (health, latency, breakers, paused keys), and
   * waits for that key's pacing permit on a timer of {@code ctx}.
   */
  Uni<Target> prepare(CallState st, Context ctx) {
    Target target;
    try {
      target = choose(st);
    } catch (ClaudeException e) {
      return Uni.createFrom().failure(e);
    }
    return Uni.createFrom()
        .emitter(
            em ->
                pace(st, target, ctx)
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            em.fail(ar.cause());
                          } else {
                            em.complete(target);
                          }
                        }));
  }

  /** {@link #prepare} for {@link #call}: the permit is usually there at once, as a Future. */
  private Future<Target> prepareNow(CallState st, Context ctx) {
    Target target;
    try {
      target = choose(st);
    } catch (ClaudeException e) {
      return Future.failedFuture(e);
    }
    Future<Void> permit = pace(st, target, ctx);
    return permit.succeeded() ? Future.succeededFuture(target) : permit.map(target);
  }

  /**
   * Counts an attempt and chooses its target; throws when the deadline passed or none is usable.
   */
  private Target choose(CallState st) {
    st.attempts++;
    st.target = null;
    long now = clock.millis();
    if (st.deadlineAt - now <= 0) {
      throw new ClaudeTimeoutException(
          ClaudeTimeoutException.Phase.DEADLINE, "the call's deadline passed");
    }
    Target target = TargetChooser.choose(regions, transports, st.avoid, now, random);
    st.target = target;
    st.region = target.name();
    return target;
  }

  /** The key's pacing permit; the attempt's send time is taken when it is granted. */
  private Future<Void> pace(CallState st, Target target, Context ctx) {
    long paceStart = System.nanoTime();
    Future<Void> permit = target.region().pacer(target.key()).acquire(ctx, st.deadlineAt);
    if (permit.succeeded()) {
      granted(st, paceStart);
      return permit;
    }
    return permit.andThen(
        ar -> {
          if (ar.succeeded()) {
            granted(st, paceStart);
          }
        });
  }

  private void granted(CallState st, long paceStart) {
    st.sentAt = clock.millis();
    st.sentNanos = System.nanoTime();
    st.waitNanos += st.sentNanos - paceStart;
  }

  /** Every answer's headers feed the key's pacer (the {@code anthropic-ratelimit-*} figures). */
  void onResponseHead(CallState st, Target target, Map<String, String> headers) {
    target.region().pacer(target.key()).onResponseHeaders(headers, st.sentAt, clock.millis());
  }

  void onAttemptSucceeded(CallState st, Target target, UpstreamRequest request) {
    target.region().breaker().recordSuccess();
    // A generation's duration measures its length, not the region; cheap calls measure the region.
    if (!request.path().equals("/v1/messages")) {
      target.region().recordLatency(clock.millis() - st.sentAt);
    }
  }

  /** Time from sending to the first event of a stream: the region's latency, not the answer's. */
  void recordStreamLatency(CallState st, Target target) {
    target.region().recordLatency(clock.millis() - st.sentAt);
  }

  /** What a failure means for the region and the key, whatever happens to the call next. */
  void onAttemptFailed(Target target, Throwable failure) {
    long now = clock.millis();
    if (failure instanceof SpendLimitReachedException) {
      return;
    }
    if (failure instanceof RateLimitException limited) {
      target.region().onRateLimited(target.key(), limited.headers(), now);
    } else if (failure instanceof AuthenticationException) {
      target.region().onUnauthorized(target.key());
    }
    target.region().breaker().record(failure);
  }

  long timeLeft(CallState st) {
    return st.deadlineAt - clock.millis();
  }

  ApiException toApiException(UpstreamResponse resp) {
    return toApiException(resp, resp.headerMap());
  }

  private ApiException toApiException(UpstreamResponse resp, Map<String, String> headers) {
    Duration retryAfter =
        RetryAfter.parse(headers.get("retry-after-ms"), headers.get("retry-after"), clock)
            .orElse(null);
    return ApiException.of(resp.status(), ErrorBody.parse(resp.body()), headers, retryAfter);
  }

  /**
   * What follows a failed attempt: stop with a final failure, try again at once (another region or
   * key can serve), or try again after a wait.
   *
   * @param waitMs milliseconds to wait (a Vert.x timer of at least 1 ms), or -1 for at once
   * @param stop the call's final failure, or null to try again
   */
  record Next(long waitMs, ClaudeException stop) {
    static final Next NOW = new Next(-1, null);

    static Next stop(ClaudeException e) {
      return new Next(-1, e);
    }
  }

  Next decide(CallState st, Throwable failure) {
    ClaudeException ce = asClaude(failure).withContext(st.region, st.attempts);
    st.failures.add(ce);
    long now = clock.millis();
    int retriesSoFar = st.attempts - 1;

    Failover.Move move = Failover.classify(ce);
    if (move != Failover.Move.NONE && st.target != null) {
      if (move == Failover.Move.OTHER_REGION) {
        st.avoid.add(st.target.name());
      }
      if (TargetChooser.hasAlternative(regions, st.avoid, now)) {
        if (retriesSoFar >= policy.maxRetries()) {
          st.stopNote =
              "gave up after "
                  + st.attempts
                  + " attempts (retry.maxRetries="
                  + policy.maxRetries()
                  + ")";
          return Next.stop(ce);
        }
        LOG.debug("failing over after {} on {}: {}", st.path, st.region, ce.getMessage());
        metrics.retry(st.region, RetryDecision.forFailure(ce).reason());
        return Next.NOW;
      }
      // Nothing else can serve: wait (below) and come back to the best region.
      st.avoid.clear();
    }

    if (ce instanceof NoUsableRegionException none) {
      return waitForRegion(st, none, now, ce);
    }

    RetryPolicy.Plan plan = policy.plan(ce, retriesSoFar, now, st.deadlineAt, random.getAsDouble());
    if (!plan.retry()) {
      st.stopNote = plan.stopNote();
      return Next.stop(ce);
    }
    metrics.retry(st.region, plan.reason());
    st.waitNanos += plan.delayMs() * 1_000_000L;
    LOG.debug(
        "retrying {} {} in {} ms after attempt {} on {}: {} ({})",
        st.method,
        st.path,
        plan.delayMs(),
        st.attempts,
        st.region,
        plan.reason(),
        ce.getMessage());
    return new Next(Math.max(0, plan.delayMs()), null);
  }

  /** Every key paused: wait for the earliest reset if the cap and the deadline allow it. */
  private Next waitForRegion(
      CallState st, NoUsableRegionException none, long now, ClaudeException ce) {
    long wait = none.retryAtMs() - now;
    if (none.retryAtMs() < 0 || st.attempts - 1 >= policy.maxRetries()) {
      return Next.stop(ce);
    }
    if (wait > policy.maxRetryAfterMs() || now + wait > st.deadlineAt) {
      st.stopNote =
          "the next key is usable in "
              + wait
              + " ms, beyond retry.maxRetryAfterMs or the call's deadline";
      return Next.stop(ce);
    }
    metrics.retry(st.region, "keys_paused");
    st.waitNanos += wait * 1_000_000L;
    return new Next(Math.max(1, wait), null);
  }

  ClaudeException finish(CallState st, UpstreamRequest request, Throwable failure) {
    ClaudeException ce = asClaude(failure).withContext(st.region, st.attempts);
    if (st.stopNote != null && ce.note() == null) {
      ce.withNote(st.stopNote);
    }
    for (ClaudeException earlier : st.failures) {
      if (earlier != ce) {
        ce.addSuppressed(earlier);
      }
    }
    if (st.callerLogs ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
      String line = "{} {} failed region={} attempts={} latencyMs={} request-id={} error={}";
      Object[] args = {
        request.method(),
        request.path(),
        st.region,
        st.attempts,
        clock.millis() - st.startedAt,
        ce.requestId(),
        ce.getMessage()
      };
      if (st.callerLogs) {
        LOG.debug(line, args);
      } else {
        LOG.info(line, args);
      }
    }
    return ce;
  }

  private void logSuccess(CallState st, UpstreamRequest request, CallResult r) {
    if (st.callerLogs ? LOG.isDebugEnabled() : LOG.isInfoEnabled()) {
      String line = "{} {} status={} region={} attempts={} latencyMs={} request-id={}";
      Object[] args = {
        request.method(),
        request.path(),
        r.response().status(),
        r.region(),
        r.attempts(),
        clock.millis() - st.startedAt,
        r.response().requestId()
      };
      if (st.callerLogs) {
        LOG.debug(line, args);
      } else {
        LOG.info(line, args);
      }
    }
  }

  static ClaudeException asClaude(Throwable t) {
    return t instanceof ClaudeException ce
        ? ce
        : new ClaudeException("unexpected failure: " + t, t);
  }

  /**
   * {@link #retrying}: subscribes to one attempt after the other as {@link #decide} says, the waits
   * on timers of {@code ctx}. (A Mutiny {@code retry().when(…)} chain does the same with several
   * operators and a processor per call.) Confined to {@code ctx}.
   */
  private final class Retrying<T> extends AttemptLoop {
    private final Supplier<Uni<? extends T>> next;
    private final UniEmitter<? super T> em;
    private Cancellable current;

    Retrying(CallState st, Context ctx, Supplier<Uni<? extends T>> next, UniEmitter<? super T> em) {
      super(st, ctx);
      this.next = next;
      this.em = em;
    }

    @Override
    void attempt() {
      if (over) {
        return;
      }
      Uni<? extends T> uni;
      try {
        uni = next.get();
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      current = uni.subscribe().with(this::succeeded, this::failed);
    }

    private void succeeded(T item) {
      if (!over) {
        over = true;
        em.complete(item);
      }
    }

    @Override
    void stop(Throwable failure) {
      over = true;
      em.fail(failure);
    }

    /** Runs on completion, failure and cancellation; only the last has something to undo. */
    void terminated() {
      if (over) {
        return;
      }
      over = true;
      if (current != null) {
        current.cancel();
      }
      cancelWait();
    }
  }

  /**
   * One {@link #call}: attempts with callbacks on the caller's context, the retry waits on its
   * timers, one emitter for the result. Confined to the caller's context.
   */
  private final class Call extends AttemptLoop {
    private final UpstreamRequest request;
    private final UniEmitter<? super CallResult> em;
    private InFlight inFlight;

    Call(UpstreamRequest request, Context ctx, CallState st, UniEmitter<? super CallResult> em) {
      super(st, ctx);
      this.request = request;
      this.em = em;
    }

    @Override
    void attempt() {
      if (over) {
        return;
      }
      try {
        Future<Target> prepared = prepareNow(st, ctx);
        if (prepared.succeeded()) {
          send(prepared.result());
        } else {
          prepared.onComplete(
              ar -> {
                if (ar.succeeded()) {
                  send(ar.result());
                } else {
                  failed(ar.cause());
                }
              });
        }
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    private void send(Target target) {
      if (over) {
        return;
      }
      int attemptNo = st.attempts;
      InFlight sent = target.transport().send(request, target.apiKey(), timeLeft(st));
      inFlight = sent;
      sent.response().onComplete(ar -> answered(sent, target, attemptNo, ar));
    }

    private void answered(
        InFlight sent, Target target, int attemptNo, AsyncResult<UpstreamResponse> ar) {
      if (inFlight == sent) {
        inFlight = null;
      }
      long nanos = System.nanoTime() - st.sentNanos;
      st.upstreamNanos += nanos;
      if (ar.failed()) {
        metrics.attempt(st.method, st.path, 0, target.name(), nanos);
        onAttemptFailed(target, ar.cause());
        failed(ar.cause());
        return;
      }
      UpstreamResponse resp = ar.result();
      metrics.attempt(st.method, st.path, resp.status(), target.name(), nanos);
      Map<String, String> headers = resp.headerMap();
      onResponseHead(st, target, headers);
      if (resp.isSuccess()) {
        onAttemptSucceeded(st, target, request);
        succeeded(new CallResult(resp, target.name(), attemptNo));
      } else {
        ApiException e = toApiException(resp, headers);
        onAttemptFailed(target, e);
        failed(e);
      }
    }

    private void succeeded(CallResult r) {
      if (over) {
        return;
      }
      over = true;
      metrics.overhead(System.nanoTime() - st.startedNanos - st.upstreamNanos - st.waitNanos);
      logSuccess(st, request, r);
      em.complete(r);
    }

    @Override
    void stop(Throwable failure) {
      if (over) {
        return;
      }
      over = true;
      em.fail(finish(st, request, failure));
    }

    /** Runs on completion, failure and cancellation; only the last has something to undo. */
    void terminated() {
      if (over) {
        return;
      }
      over = true;
      InFlight sent = inFlight;
      if (sent != null) {
        sent.cancel().run();
      }
      cancelWait();
    }
  }

  /**
   * What {@link Retrying} and {@link Call} share: after a failed attempt, stop or wait as {@link
   * #decide} says, then attempt again; the wait is a timer on {@code ctx}. Confined to {@code ctx}.
   */
  private abstract class AttemptLoop {
    final CallState st;
    final Context ctx;

    /** Completed, failed or cancelled: nothing more is sent or emitted. */
    boolean over;

    private long waitTimer = -1;

    AttemptLoop(CallState st, Context ctx) {
      this.st = st;
      this.ctx = ctx;
    }

    abstract void attempt();

    /** Ends the call with {@code failure}: the retry decision said stop, or deciding threw. */
    abstract void stop(Throwable failure);

    final void failed(Throwable failure) {
      if (over) {
        return;
      }
      Next next;
      try {
        next = decide(st, failure);
      } catch (RuntimeException e) {
        stop(e);
        return;
      }
      if (next.stop() != null) {
        stop(next.stop());
      } else if (next.waitMs() < 0) {
        attempt();
      } else {
        VertxDelay.onContext(
            ctx,
            () -> {
              if (!over) {
                waitTimer =
                    ctx.owner()
                        .setTimer(
                            Math.max(1, next.waitMs()),
                            id -> {
                              waitTimer = -1;
                              attempt();
                            });
              }
            });
      }
    }

    final void cancelWait() {
      if (waitTimer >= 0) {
        ctx.owner().cancelTimer(waitTimer);
        waitTimer = -1;
      }
    }
  }

  /** Mutable state of one call; confined to the caller's context. */
  static final class CallState {
    final long startedAt;
    final long deadlineAt;
    final List<ClaudeException> failures = new ArrayList<>(2);
    final Set<String> avoid = new HashSet<>(2);
    int attempts;
    String region;
    Target target;
    long sentAt;
    final long startedNanos = System.nanoTime();
    long sentNanos;
    long upstreamNanos;
    long waitNanos;
    String stopNote;
    String method;
    String path;

    /** The caller logs the outcome ({@link #OUTCOME_LOGGED_BY_CALLER}): ours goes to DEBUG. */
    boolean callerLogs;

    CallState(long startedAt, long deadlineAt) {
      this.startedAt = startedAt;
      this.deadlineAt = deadlineAt;
    }
  }
}
