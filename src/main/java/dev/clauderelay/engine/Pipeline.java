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
import io.vertx.core.Context;
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
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

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
        .deferred(
            () -> {
              CallState st = newCall(request, deadlineMs);
              return retrying(st, ctx, () -> attempt(st, request, ctx))
                  .onItem()
                  .invoke(
                      r -> {
                        metrics.overhead(
                            System.nanoTime() - st.startedNanos - st.upstreamNanos - st.waitNanos);
                        logSuccess(st, request, r);
                      })
                  .onFailure()
                  .transform(f -> finish(st, request, f));
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
    long now = clock.millis();
    CallState st = new CallState(now, now + (deadlineMs > 0 ? deadlineMs : policy.deadlineMs()));
    st.method = request.method().name();
    st.path = request.path();
    return st;
  }

  /** Runs {@code attempt} until it succeeds or the policy says stop; waits on {@code ctx}. */
  <T> Uni<T> retrying(CallState st, Context ctx, Supplier<Uni<? extends T>> attempt) {
    return Uni.createFrom()
        .deferred(attempt)
        .onFailure()
        .retry()
        .when(failures -> failures.onItem().transformToUniAndConcatenate(f -> next(st, f, ctx)));
  }

  private Uni<CallResult> attempt(CallState st, UpstreamRequest request, Context ctx) {
    return prepare(st, ctx).chain(target -> send(st, target, request));
  }

  /**
   * Counts an attempt, chooses its region and key (health, latency, breakers, paused keys), and
   * waits for that key's pacing permit on a timer of {@code ctx}.
   */
  Uni<Target> prepare(CallState st, Context ctx) {
    st.attempts++;
    st.target = null;
    long now = clock.millis();
    if (st.deadlineAt - now <= 0) {
      return Uni.createFrom()
          .failure(
              new ClaudeTimeoutException(
                  ClaudeTimeoutException.Phase.DEADLINE, "the call's deadline passed"));
    }
    Target target;
    try {
      target = TargetChooser.choose(regions, transports, st.avoid, now, random);
    } catch (NoUsableRegionException none) {
      return Uni.createFrom().failure(none);
    }
    st.target = target;
    st.region = target.name();
    long paceStart = System.nanoTime();
    return Uni.createFrom()
        .emitter(
            em ->
                target
                    .region()
                    .pacer(target.key())
                    .acquire(ctx, st.deadlineAt)
                    .onComplete(
                        ar -> {
                          if (ar.failed()) {
                            em.fail(ar.cause());
                          } else {
                            st.sentAt = clock.millis();
                            st.sentNanos = System.nanoTime();
                            st.waitNanos += st.sentNanos - paceStart;
                            em.complete(target);
                          }
                        }));
  }

  private Uni<CallResult> send(CallState st, Target target, UpstreamRequest request) {
    long left = timeLeft(st);
    int attemptNo = st.attempts;
    return Uni.createFrom()
        .emitter(
            em -> {
              InFlight inFlight = target.transport().send(request, target.apiKey(), left);
              em.onTermination(inFlight.cancel());
              inFlight
                  .response()
                  .onComplete(
                      ar -> {
                        long nanos = System.nanoTime() - st.sentNanos;
                        st.upstreamNanos += nanos;
                        if (ar.failed()) {
                          metrics.attempt(st.method, st.path, 0, target.name(), nanos);
                          onAttemptFailed(target, ar.cause());
                          em.fail(ar.cause());
                          return;
                        }
                        UpstreamResponse resp = ar.result();
                        metrics.attempt(st.method, st.path, resp.status(), target.name(), nanos);
                        onResponseHead(st, target, resp.headerMap());
                        if (resp.isSuccess()) {
                          onAttemptSucceeded(st, target, request);
                          em.complete(new CallResult(resp, target.name(), attemptNo));
                        } else {
                          ApiException e = toApiException(resp);
                          onAttemptFailed(target, e);
                          em.fail(e);
                        }
                      });
            });
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
    Map<String, String> headers = resp.headerMap();
    Duration retryAfter =
        RetryAfter.parse(headers.get("retry-after-ms"), headers.get("retry-after"), clock)
            .orElse(null);
    return ApiException.of(resp.status(), ErrorBody.parse(resp.body()), headers, retryAfter);
  }

  private Uni<Long> next(CallState st, Throwable failure, Context ctx) {
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
          return Uni.createFrom().failure(ce);
        }
        LOG.debug("failing over after {} on {}: {}", st.path, st.region, ce.getMessage());
        metrics.retry(st.region, RetryDecision.forFailure(ce).reason());
        return Uni.createFrom().item(0L);
      }
      // Nothing else can serve: wait (below) and come back to the best region.
      st.avoid.clear();
    }

    if (ce instanceof NoUsableRegionException none) {
      return waitForRegion(st, none, now, ctx, ce);
    }

    RetryPolicy.Plan plan = policy.plan(ce, retriesSoFar, now, st.deadlineAt, random.getAsDouble());
    if (!plan.retry()) {
      st.stopNote = plan.stopNote();
      return Uni.createFrom().failure(ce);
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
    return VertxDelay.after(ctx, plan.delayMs(), plan.delayMs());
  }

  /** Every key paused: wait for the earliest reset if the cap and the deadline allow it. */
  private Uni<Long> waitForRegion(
      CallState st, NoUsableRegionException none, long now, Context ctx, ClaudeException ce) {
    long wait = none.retryAtMs() - now;
    if (none.retryAtMs() < 0 || st.attempts - 1 >= policy.maxRetries()) {
      return Uni.createFrom().failure(ce);
    }
    if (wait > policy.maxRetryAfterMs() || now + wait > st.deadlineAt) {
      st.stopNote =
          "the next key is usable in "
              + wait
              + " ms, beyond retry.maxRetryAfterMs or the call's deadline";
      return Uni.createFrom().failure(ce);
    }
    metrics.retry(st.region, "keys_paused");
    st.waitNanos += wait * 1_000_000L;
    return VertxDelay.after(ctx, Math.max(1, wait), wait);
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
    LOG.info(
        "{} {} failed region={} attempts={} latencyMs={} request-id={} error={}",
        request.method(),
        request.path(),
        st.region,
        st.attempts,
        clock.millis() - st.startedAt,
        ce.requestId(),
        ce.getMessage());
    return ce;
  }

  private void logSuccess(CallState st, UpstreamRequest request, CallResult r) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "{} {} status={} region={} attempts={} latencyMs={} request-id={}",
          request.method(),
          request.path(),
          r.response().status(),
          r.region(),
          r.attempts(),
          clock.millis() - st.startedAt,
          r.response().requestId());
    }
  }

  static ClaudeException asClaude(Throwable t) {
    return t instanceof ClaudeException ce
        ? ce
        : new ClaudeException("unexpected failure: " + t, t);
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

    CallState(long startedAt, long deadlineAt) {
      this.startedAt = startedAt;
      this.deadlineAt = deadlineAt;
    }
  }
}
