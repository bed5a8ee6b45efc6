package dev.clauderelay.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/** Serves a {@link ScriptedResponse} that a test queued for the request. */
final class ScriptPlayer {

  private final SimReplies replies;

  ScriptPlayer(SimReplies replies) {
    this.replies = replies;
  }

  void serve(RoutingContext ctx, ScriptedResponse scripted) {
    long delay = scripted.delayMillis();
    switch (scripted.kind()) {
      case HANG -> replies.hold(ctx);
      case NORMAL -> {
        ctx.put(SimHandler.PROFILE_KEY, FaultProfile.HEALTHY);
        replies.after(ctx, delay, ctx::next);
      }
      case CLOSE_CONNECTION -> replies.after(ctx, delay, () -> SimReplies.closeConnection(ctx));
      case REPLY -> replies.after(ctx, delay, () -> reply(ctx, scripted));
      case SSE, SSE_THEN_CUT -> replies.after(ctx, delay, () -> replySse(ctx, scripted));
    }
  }

  private void reply(RoutingContext ctx, ScriptedResponse scripted) {
    HttpServerResponse response = ctx.response().setStatusCode(scripted.statusCode());
    if (scripted.contentType() != null) {
      response.putHeader("content-type", scripted.contentType());
    }
    applyHeaders(response, scripted);
    Buffer body = scripted.bodyFor(replies.track(ctx));
    if (body == null) {
      response.end();
    } else {
      response.end(body);
    }
  }

  private void replySse(RoutingContext ctx, ScriptedResponse scripted) {
    HttpServerResponse response =
        ctx.response()
            .setStatusCode(scripted.statusCode())
            .setChunked(true)
            .putHeader("content-type", scripted.contentType())
            .putHeader("cache-control", "no-cache");
    applyHeaders(response, scripted);
    Buffer body = scripted.bodyFor(replies.track(ctx));
    if (scripted.kind() == ScriptedResponse.Kind.SSE) {
      response.end(body);
    } else {
      response.write(body).onComplete(ar -> SimReplies.closeConnection(ctx));
    }
  }

  private static void applyHeaders(HttpServerResponse response, ScriptedResponse scripted) {
    Set<String> names = new LinkedHashSet<>();
    scripted.headers().forEach(h -> names.add(h.getKey()));
    names.forEach(response.headers()::remove);
    scripted.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
  }
}
