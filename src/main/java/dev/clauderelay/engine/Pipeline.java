package dev.clauderelay.engine;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.transport.InFlight;
import dev.clauderelay.transport.StreamSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every call takes: attempt → classify → retry with a wait on a Vert.x timer → final
 * outcome. Adapters (Java API, gateway, event bus) never retry on their own.
 *
 * <p>Everything runs on the caller's context: the first attempt is subscribed there, each wait is a
 * timer of that context, so each retry and the result arrive there too.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final RetryPolicy policy;
  private final List<Target> targets;
  private final Clock clock;
  private final DoubleSupplier random;

  public Pipeline(RetryPolicy policy, List<Target> targets, Clock clock, DoubleSupplier random) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("the pipeline needs at least one region");
    }
    this.policy = policy;
    this.targets = List.copyOf(targets);
    this.clock = clock;
    this.random = random;
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
              return retrying(st, ctx, () -> attempt(st, request))
                  .onItem()
                  .invoke(r -> logSuccess(st, request, r))
                  .onFailure()
                  .transform(f -> finish(st, request, f));
            });
  }

  /**
   * A streamed call. Opening (until the first content event) goes through the same retries as
   * {@link #call}; after that, a failure is a {@code StreamInterruptedException}. Nothing is sent
   * until the consumer first asks for events.
   */
  public StreamCall stream(
      UpstreamRequest request, Context ctx, long deadlineMs, StreamSettings settings) {
    return new StreamCall(this, request, ctx, deadlineMs, settings);
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

  /** Picks where the next attempt goes and counts it. */
  Target nextTarget(CallState st) {
    st.attempts++;
    // Issue #4 replaces this with the router's health- and latency-ordered choice.
    Target target = targets.get(0);
    st.region = target.region();
    return target;
  }

  long timeLeft(CallState st) {
    return st.deadlineAt - clock.millis();
  }

  private Uni<CallResult> attempt(CallState st, UpstreamRequest request) {
    Target target = nextTarget(st);
    long left = timeLeft(st);
    if (left <= 0) {
      return Uni.createFrom()
          .failure(
              new ClaudeTimeoutException(
                  ClaudeTimeoutException.Phase.DEADLINE, "the call's deadline passed"));
    }
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
                        if (ar.failed()) {
                          em.fail(ar.cause());
                        } else if (ar.result().isSuccess()) {
                          em.complete(new CallResult(ar.result(), target.region(), attemptNo));
                        } else {
                          em.fail(toApiException(ar.result()));
                        }
                      });
            });
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
    RetryPolicy.Plan plan =
        policy.plan(ce, st.attempts - 1, clock.millis(), st.deadlineAt, random.getAsDouble());
    if (!plan.retry()) {
      st.stopNote = plan.stopNote();
      return Uni.createFrom().failure(ce);
    }
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

  ClaudeException finish(CallState st, UpstreamRequest request, Throwable failure) {
    ClaudeException ce = asClaude(failure).withContext(st.region, st.attempts);
    if (st.stopNote != null) {
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
    int attempts;
    String region;
    String stopNote;
    String method;
    String path;

    CallState(long startedAt, long deadlineAt) {
      this.startedAt = startedAt;
      this.deadlineAt = deadlineAt;
    }
  }
}
