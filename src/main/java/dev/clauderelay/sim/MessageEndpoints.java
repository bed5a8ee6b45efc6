package dev.clauderelay.sim;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The API endpoints proper, reached once admission let a request through; the profile recorded at
 * admission decides how a stream ends ({@code midstream-cut}, {@code stall}).
 */
final class MessageEndpoints {

  private static final String SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8";

  private final SimState state;
  private final SimOptions options;
  private final SimReplies replies;

  MessageEndpoints(SimState state, SimReplies replies) {
    this.state = state;
    this.options = state.options;
    this.replies = replies;
  }

  void createMessage(RoutingContext ctx) {
    FaultProfile profile = ctx.get(SimHandler.PROFILE_KEY, FaultProfile.HEALTHY);
    JsonObject body = SimReplies.jsonBody(ctx);
    String problem = body == null ? RequestCheck.NOT_JSON : RequestCheck.messagesProblem(body);
    boolean stream = problem == null && body.getBoolean("stream", false);
    if (profile == FaultProfile.STALL && !stream) {
      replies.hold(ctx);
      return;
    }
    if (problem != null) {
      replies.fail(ctx, 400, "invalid_request_error", problem);
      return;
    }
    SyntheticReply reply =
        SyntheticReply.generate(options.getSeed(), body, options.getMaxTextTokens());
    int inputTokens = SyntheticReply.estimateInputTokens(body);
    String id = state.nextMessageId();
    String model = body.getString("model");
    if (!stream) {
      SimReplies.sendJson(ctx, 200, MessageJson.message(id, model, reply, inputTokens));
      return;
    }
    MessageJson.StreamPlan plan = MessageJson.streamPlan(id, model, reply, inputTokens);
    HttpServerResponse response = ctx.response();
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", SSE_CONTENT_TYPE)
        .putHeader("cache-control", "no-cache");
    long delay = options.getStreamDeltaDelayMs();
    if (profile == FaultProfile.STALL) {
      response.write(plan.head().get(0));
      replies.hold(ctx);
    } else if (profile == FaultProfile.MIDSTREAM_CUT) {
      int keep = Math.max(1, (plan.deltas().size() + 1) / 2);
      SseWriter.write(response, plan.head(), 0, state.timers)
          .compose(
              v -> SseWriter.write(response, plan.deltas().subList(0, keep), delay, state.timers))
          .onSuccess(v -> SimReplies.closeConnection(ctx));
    } else {
      SseWriter.write(response, plan.head(), 0, state.timers)
          .compose(v -> SseWriter.write(response, plan.deltas(), delay, state.timers))
          .compose(v -> SseWriter.write(response, plan.tail(), 0, state.timers))
          .onSuccess(v -> response.end());
    }
  }

  void countTokens(RoutingContext ctx) {
    JsonObject body = SimReplies.jsonBody(ctx);
    String problem = body == null ? RequestCheck.NOT_JSON : RequestCheck.countTokensProblem(body);
    if (problem != null) {
      replies.fail(ctx, 400, "invalid_request_error", problem);
      return;
    }
    SimReplies.sendJson(
        ctx, 200, new JsonObject().put("input_tokens", SyntheticReply.estimateInputTokens(body)));
  }

  void listModels(RoutingContext ctx) {
    int limit = ModelCatalog.DEFAULT_LIMIT;
    String limitParam = ctx.request().getParam("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        replies.fail(
            ctx, 400, "invalid_request_error", "limit: Input should be between 1 and 1000");
        return;
      }
    }
    SimReplies.sendJson(
        ctx,
        200,
        ModelCatalog.page(
            limit, ctx.request().getParam("after_id"), ctx.request().getParam("before_id")));
  }

  void getModel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject model = ModelCatalog.find(id);
    if (model == null) {
      replies.fail(ctx, 404, "not_found_error", "model: " + id);
    } else {
      SimReplies.sendJson(ctx, 200, model);
    }
  }
}
