package dev.clauderelay.engine;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.transport.InFlight;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
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
              long now = clock.millis();
              CallState st =
                  new CallState(now, now + (deadlineMs > 0 ? deadlineMs : policy.deadlineMs()));
              st.method = request.method().name();
              st.path = request.path();
              return Uni.createFrom()
                  .deferred(() -> attempt(st, request))
                  .onFailure()
                  .retry()
                  .when(
                      failures ->
                          failures.onItem().transformToUniAndConcatenate(f -> next(st, f, ctx)))
                  .onItem()
                  .invoke(r -> logSuccess(st, request, r))
                  .onFailure()
                  .transform(f -> finish(st, request, f));
            });
  }

  private Uni<CallResult> attempt(CallState st, UpstreamRequest request) {
    st.attempts++;
    // Issue #4 replaces this with the router's health- and latency-ordered choice.
    Target target = targets.get(0);
    st.region = target.region();
    long left = st.deadlineAt - clock.millis();
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

  private ApiException toApiException(UpstreamResponse resp) {
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

  private ClaudeException finish(CallState st, UpstreamRequest request, Throwable failure) {
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

  private static ClaudeException asClaude(Throwable t) {
    return t instanceof ClaudeException ce
        ? ce
        : new ClaudeException("unexpected failure: " + t, t);
  }

  /** Mutable state of one call; confined to the caller's context. */
  private static final class CallState {
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
