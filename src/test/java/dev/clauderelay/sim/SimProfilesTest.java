package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class SimProfilesTest {

  @Test
  void ratelimitedEnforcesTheWindowAndReportsIt(Vertx vertx, VertxTestContext ctx) {
    SimOptions options =
        new SimOptions().setProfile(FaultProfile.RATELIMITED).setRequestsPerMinute(5);
    JsonObject request = SimHttp.messageRequest(5, "hi");
    SimTestSupport.start(vertx, options)
        .compose(
            s ->
                SimTestSupport.sequential(6, () -> s.http().postMessage(request))
                    .compose(
                        replies ->
                            s.http()
                                .get("/v1/models")
                                .map(
                                    models -> {
                                      List<SimHttp.Reply> all = new ArrayList<>(replies);
                                      all.add(models);
                                      return all;
                                    }))
                    .map(all -> new Object[] {s.sim(), all}))
        .onComplete(
            ctx.succeeding(
                result ->
                    ctx.verify(
                        () -> {
                          SimulatedAnthropic sim = (SimulatedAnthropic) result[0];
                          @SuppressWarnings("unchecked")
                          List<SimHttp.Reply> replies = (List<SimHttp.Reply>) result[1];
                          for (int i = 0; i < 5; i++) {
                            SimHttp.Reply ok = replies.get(i);
                            assertEquals(200, ok.status());
                            assertEquals("5", ok.header("anthropic-ratelimit-requests-limit"));
                            assertEquals(
                                Integer.toString(4 - i),
                                ok.header("anthropic-ratelimit-requests-remaining"));
                            Instant reset =
                                Instant.parse(ok.header("anthropic-ratelimit-requests-reset"));
                            assertTrue(reset.isAfter(Instant.now()));
                            assertTrue(ok.header("anthropic-ratelimit-tokens-limit") != null);
                            assertTrue(ok.header("anthropic-ratelimit-tokens-remaining") != null);
                            assertTrue(ok.header("anthropic-ratelimit-tokens-reset") != null);
                          }
                          SimHttp.Reply limited = replies.get(5);
                          assertEquals(429, limited.status());
                          assertEquals(
                              "rate_limit_error",
                              limited.json().getJsonObject("error").getString("type"));
                          long retryAfter = Long.parseLong(limited.header("retry-after"));
                          assertTrue(
                              retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
                          assertEquals(
                              "0", limited.header("anthropic-ratelimit-requests-remaining"));
                          // Model listing is the free probe: it reports but does not spend.
                          SimHttp.Reply models = replies.get(6);
                          assertEquals(200, models.status());
                          assertEquals(
                              "0", models.header("anthropic-ratelimit-requests-remaining"));
                          assertEquals(1, sim.statusCount(429));
                          assertEquals(6, sim.requestCount("/v1/messages"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void ratelimitedKeepsOneWindowPerKey(Vertx vertx, VertxTestContext ctx) {
    SimOptions options =
        new SimOptions().setProfile(FaultProfile.RATELIMITED).setRequestsPerMinute(1);
    String body = SimHttp.messageRequest(5, "hi").encode();
    SimTestSupport.start(vertx, options)
        .compose(
            s ->
                SimTestSupport.sequential(2, () -> s.http().postMessage(new JsonObject(body)))
                    .compose(
                        sameKey ->
                            s.http()
                                .send(
                                    HttpMethod.POST,
                                    "/v1/messages",
                                    SimHttp.defaultHeaders().set("x-api-key", "sk-other"),
                                    body,
                                    0)
                                .map(other -> List.of(sameKey.get(0), sameKey.get(1), other))))
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, replies.get(0).status());
                          assertEquals(429, replies.get(1).status());
                          assertEquals(200, replies.get(2).status());
                          ctx.completeNow();
                        })));
  }

  @Test
  void healthyProfileSendsNoRateLimitHeaders(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(s -> s.http().postMessage(SimHttp.messageRequest(5, "hi")))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertNull(reply.header("anthropic-ratelimit-requests-remaining"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void midstreamCutEndsWithoutMessageStop(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(60, "tell me a story");
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.MIDSTREAM_CUT))
        .compose(
            s ->
                s.http()
                    .postMessage(request.copy().put("stream", true))
                    .compose(
                        cut -> s.http().postMessage(request).map(plain -> List.of(cut, plain))))
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          SimHttp.Reply cut = replies.get(0);
                          assertEquals(200, cut.status());
                          assertFalse(cut.complete(), "the stream must not end properly");
                          List<String> names =
                              cut.events().stream().map(SimHttp.SseEvent::event).toList();
                          assertEquals("message_start", names.get(0));
                          assertTrue(names.contains("content_block_delta"));
                          assertFalse(names.contains("message_stop"));
                          assertFalse(names.contains("message_delta"));
                          assertEquals("content_block_delta", names.get(names.size() - 1));
                          // Non-streaming requests are answered normally under this profile.
                          assertEquals(200, replies.get(1).status());
                          assertEquals("message", replies.get(1).json().getString("type"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void stallSendsMessageStartThenNothing(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(5, "hi").put("stream", true);
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.STALL))
        .compose(
            s ->
                s.http()
                    .send(
                        HttpMethod.POST,
                        "/v1/messages",
                        SimHttp.defaultHeaders(),
                        request.encode(),
                        300))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, reply.status());
                          assertFalse(reply.complete());
                          List<String> names =
                              reply.events().stream().map(SimHttp.SseEvent::event).toList();
                          assertEquals(List.of("message_start"), names);
                          ctx.completeNow();
                        })));
  }

  @Test
  void stallNeverAnswersPlainRequests(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.STALL))
        .compose(
            s -> s.http().send(HttpMethod.GET, "/v1/models", SimHttp.defaultHeaders(), null, 300))
        .onComplete(ctx.failing(timeout -> ctx.completeNow()));
  }

  @Test
  void overloadedAlwaysAnswers529AndProfilesSwitchAtRuntime(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(5, "hi");
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.OVERLOADED))
        .compose(
            s ->
                SimTestSupport.sequential(2, () -> s.http().postMessage(request))
                    .compose(
                        overloaded -> {
                          s.sim().setProfile(FaultProfile.HEALTHY);
                          return s.http()
                              .postMessage(request)
                              .map(
                                  healthy ->
                                      List.of(overloaded.get(0), overloaded.get(1), healthy));
                        }))
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          for (int i = 0; i < 2; i++) {
                            assertEquals(529, replies.get(i).status());
                            assertEquals(
                                "overloaded_error",
                                replies.get(i).json().getJsonObject("error").getString("type"));
                          }
                          assertEquals(200, replies.get(2).status());
                          ctx.completeNow();
                        })));
  }

  @Test
  void flakyFollowsItsSeededDice(Vertx vertx, VertxTestContext ctx) {
    int count = 12;
    long seed = seedWithErrorsButNoSpikes(count);
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      expected.add(
          switch (FlakyDice.roll(seed, n).outcome()) {
            case OVERLOADED -> 529;
            case API_ERROR -> 500;
            case RATE_LIMITED -> 429;
            default -> 200;
          });
    }
    JsonObject request = SimHttp.messageRequest(5, "hi");
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.FLAKY).setSeed(seed))
        .compose(s -> SimTestSupport.sequential(count, () -> s.http().postMessage(request)))
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          List<Integer> statuses =
                              replies.stream().map(SimHttp.Reply::status).toList();
                          assertEquals(expected, statuses);
                          for (SimHttp.Reply reply : replies) {
                            if (reply.status() == 429) {
                              assertEquals("1", reply.header("retry-after"));
                            }
                          }
                          ctx.completeNow();
                        })));
  }

  /** A seed whose first rolls include every error kind but no latency spike, to keep this fast. */
  private static long seedWithErrorsButNoSpikes(int count) {
    for (long seed = 0; ; seed++) {
      boolean spike = false;
      boolean overloaded = false;
      boolean apiError = false;
      boolean rateLimited = false;
      for (int n = 0; n < count; n++) {
        switch (FlakyDice.roll(seed, n).outcome()) {
          case LATENCY_SPIKE -> spike = true;
          case OVERLOADED -> overloaded = true;
          case API_ERROR -> apiError = true;
          case RATE_LIMITED -> rateLimited = true;
          case HEALTHY -> {}
        }
      }
      if (!spike && overloaded && apiError && rateLimited) {
        return seed;
      }
    }
  }

  @Test
  void baseLatencyDelaysEveryResponse(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions().setLatencyMs(150))
        .compose(
            s -> {
              long start = System.nanoTime();
              return s.http().get("/v1/models").map(r -> (System.nanoTime() - start) / 1_000_000);
            })
        .onComplete(
            ctx.succeeding(
                ms ->
                    ctx.verify(
                        () -> {
                          assertTrue(ms >= 150, "took " + ms + " ms");
                          ctx.completeNow();
                        })));
  }

  @Test
  void closeIsIdempotentAndFreesThePort(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(s -> s.sim().close().compose(v -> s.sim().close()).map(v -> s))
        .compose(
            s -> s.http().get("/v1/models").transform(ar -> Future.succeededFuture(ar.failed())))
        .onComplete(
            ctx.succeeding(
                failed ->
                    ctx.verify(
                        () -> {
                          assertTrue(failed);
                          ctx.completeNow();
                        })));
  }
}
