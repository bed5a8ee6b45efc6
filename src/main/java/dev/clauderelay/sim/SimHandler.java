package dev.clauderelay.sim;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's routes and admission: record → scripted response, if one is queued → fault
 * profile (stall first, then auth, then the profile's fault) → base latency → endpoint. All waiting
 * is on {@link SimTimers}; nothing blocks the event loop.
 */
final class SimHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SimHandler.class);

  /** Routing-context key of the profile admission applied; endpoints read it. */
  static final String PROFILE_KEY = "sim.profile";

  private static final String MESSAGES = "/v1/messages";

  private final SimState state;
  private final SimOptions options;
  private final Set<String> acceptedKeys;
  private final SimReplies replies;
  private final ScriptPlayer script;
  private final MessageEndpoints endpoints;

  SimHandler(SimState state) {
    this.state = state;
    this.options = state.options;
    this.acceptedKeys = options.getAcceptedKeys();
    this.replies = new SimReplies(state);
    this.script = new ScriptPlayer(replies);
    this.endpoints = new MessageEndpoints(state, replies);
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes()));
    router.route().handler(this::admit);
    router.post(MESSAGES).handler(endpoints::createMessage);
    router.post(MESSAGES + "/count_tokens").handler(endpoints::countTokens);
    router.get("/v1/models").handler(endpoints::listModels);
    router.get("/v1/models/:id").handler(endpoints::getModel);
    router.errorHandler(400, ctx -> replies.fail(ctx, 400, "invalid_request_error", "Bad request"));
    router.errorHandler(
        404,
        ctx ->
            replies.fail(
                ctx,
                404,
                "not_found_error",
                "Not found: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(
        405,
        ctx ->
            replies.fail(
                ctx,
                405,
                "invalid_request_error",
                "Method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(
        413,
        ctx ->
            replies.fail(
                ctx,
                413,
                "request_too_large",
                "Request exceeds the maximum allowed number of bytes ("
                    + options.getMaxBodyBytes()
                    + ")."));
    router.errorHandler(
        500,
        ctx -> {
          LOG.warn("simulator handler failed on {}", ctx.request().path(), ctx.failure());
          replies.fail(ctx, 500, "api_error", "Internal server error");
        });
    return router;
  }

  private void admit(RoutingContext ctx) {
    replies.track(ctx);
    ScriptedResponse scripted = state.script.poll(ctx.request().path());
    if (scripted != null) {
      script.serve(ctx, scripted);
      return;
    }
    FaultProfile profile = state.profile();
    ctx.put(PROFILE_KEY, profile);
    if (profile == FaultProfile.STALL) {
      // A stalled upstream answers nothing, not even 401: only a stream gets its first event.
      if (isMessagesPost(ctx) && isValidStreamRequest(ctx)) {
        replies.after(ctx, 0, ctx::next);
      } else {
        replies.hold(ctx);
      }
      return;
    }
    if (!authorized(ctx)) {
      return;
    }
    switch (profile) {
      case OVERLOADED ->
          replies.after(ctx, 0, () -> replies.fail(ctx, 529, "overloaded_error", "Overloaded"));
      case FLAKY -> flaky(ctx);
      case RATELIMITED -> rateLimited(ctx);
      default -> replies.after(ctx, 0, ctx::next);
    }
  }

  private boolean authorized(RoutingContext ctx) {
    if (!options.isRequireAuth()) {
      return true;
    }
    String key = SimReplies.apiKey(ctx.request());
    if (key == null) {
      replies.after(
          ctx,
          0,
          () -> replies.fail(ctx, 401, "authentication_error", "x-api-key header is required"));
      return false;
    }
    if (!acceptedKeys.isEmpty() && !acceptedKeys.contains(key)) {
      replies.after(
          ctx, 0, () -> replies.fail(ctx, 401, "authentication_error", "invalid x-api-key"));
      return false;
    }
    return true;
  }

  private void flaky(RoutingContext ctx) {
    FlakyDice.Roll roll = FlakyDice.roll(options.getSeed(), state.flakyRolls.getAndIncrement());
    switch (roll.outcome()) {
      case OVERLOADED ->
          replies.after(ctx, 0, () -> replies.fail(ctx, 529, "overloaded_error", "Overloaded"));
      case API_ERROR ->
          replies.after(ctx, 0, () -> replies.fail(ctx, 500, "api_error", "Internal server error"));
      case RATE_LIMITED ->
          replies.after(
              ctx,
              0,
              () -> {
                ctx.response().putHeader("retry-after", "1");
                replies.fail(
                    ctx,
                    429,
                    "rate_limit_error",
                    "Number of requests has exceeded your rate limit (simulated, flaky profile).");
              });
      case LATENCY_SPIKE -> replies.after(ctx, roll.extraDelayMs(), ctx::next);
      case HEALTHY -> replies.after(ctx, 0, ctx::next);
    }
  }

  private void rateLimited(RoutingContext ctx) {
    String key = SimReplies.apiKey(ctx.request());
    String bucket = key == null ? "anonymous" : key;
    // Only generation counts, as upstream: model listing is the free health probe.
    boolean counted = ctx.request().path().startsWith(MESSAGES);
    SimRateLimiter.Decision decision =
        counted ? state.limiter.acquire(bucket, tokenCost(ctx)) : state.limiter.peek(bucket);
    putRateLimitHeaders(ctx.response(), decision);
    if (decision.allowed()) {
      replies.after(ctx, 0, ctx::next);
      return;
    }
    replies.after(
        ctx,
        0,
        () -> {
          ctx.response().putHeader("retry-after", Long.toString(decision.retryAfterSeconds()));
          replies.fail(
              ctx,
              429,
              "rate_limit_error",
              "This request would exceed the simulated rate limit of "
                  + decision.requestsLimit()
                  + " requests and "
                  + decision.tokensLimit()
                  + " tokens per "
                  + options.getRateLimitWindowMs()
                  + " ms for this API key; retry after "
                  + decision.retryAfterSeconds()
                  + " s.");
        });
  }

  private static void putRateLimitHeaders(
      HttpServerResponse response, SimRateLimiter.Decision decision) {
    // Rounded up to the second so a client that waits until the reset never arrives early.
    String reset = Instant.ofEpochSecond((decision.resetEpochMillis() + 999) / 1000).toString();
    response
        .putHeader("anthropic-ratelimit-requests-limit", Integer.toString(decision.requestsLimit()))
        .putHeader(
            "anthropic-ratelimit-requests-remaining",
            Integer.toString(decision.requestsRemaining()))
        .putHeader("anthropic-ratelimit-requests-reset", reset)
        .putHeader("anthropic-ratelimit-tokens-limit", Long.toString(decision.tokensLimit()))
        .putHeader(
            "anthropic-ratelimit-tokens-remaining", Long.toString(decision.tokensRemaining()))
        .putHeader("anthropic-ratelimit-tokens-reset", reset);
  }

  /** Input estimate plus the output the request may produce, as upstream budgets a request. */
  private long tokenCost(RoutingContext ctx) {
    JsonObject body = SimReplies.jsonBody(ctx);
    if (body == null) {
      return (ctx.body().length() + 3L) / 4;
    }
    long output =
        body.getValue("max_tokens") instanceof Number n
            ? Math.min(Math.max(0, n.longValue()), options.getMaxTextTokens())
            : 0;
    return SyntheticReply.estimateInputTokens(body) + output;
  }

  private static boolean isMessagesPost(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.POST && MESSAGES.equals(ctx.request().path());
  }

  private static boolean isValidStreamRequest(RoutingContext ctx) {
    JsonObject body = SimReplies.jsonBody(ctx);
    return body != null
        && RequestCheck.messagesProblem(body) == null
        && body.getBoolean("stream", false);
  }
}
