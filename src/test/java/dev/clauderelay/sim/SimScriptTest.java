package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class SimScriptTest {

  private static final String RAW_SSE =
      "event: message_start\n"
          + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_x\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,"
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
          + "event: error\n"
          + "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";

  @Test
  void scriptedResponsesAreServedFifoBeforeTheProfile(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(5, "hi");
    SimTestSupport.start(vertx, new SimOptions().setProfile(FaultProfile.OVERLOADED))
        .compose(
            s -> {
              s.sim()
                  .enqueue(
                      ScriptedResponse.status(529)
                          .header("retry-after", "2")
                          .errorBody("overloaded_error", "Overloaded"),
                      ScriptedResponse.status(500),
                      ScriptedResponse.normal(),
                      ScriptedResponse.status(200).body("text/html", "<html>proxy page</html>"));
              return SimTestSupport.sequential(5, () -> s.http().postMessage(request))
                  .map(
                      replies -> {
                        assertEquals(0, s.sim().scriptedRemaining());
                        return replies;
                      });
            })
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          SimHttp.Reply first = replies.get(0);
                          assertEquals(529, first.status());
                          assertEquals("2", first.header("retry-after"));
                          assertEquals(
                              first.header("request-id"), first.json().getString("request_id"));
                          SimHttp.Reply second = replies.get(1);
                          assertEquals(500, second.status());
                          assertEquals(
                              "api_error", second.json().getJsonObject("error").getString("type"));
                          assertEquals(200, replies.get(2).status());
                          assertEquals("message", replies.get(2).json().getString("type"));
                          assertEquals("text/html", replies.get(3).header("content-type"));
                          assertEquals("<html>proxy page</html>", replies.get(3).body());
                          // The script is used up: the overloaded profile answers again.
                          assertEquals(529, replies.get(4).status());
                          ctx.completeNow();
                        })));
  }

  @Test
  void hangNeverAnswersAndCloseResetsHeldRequests(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .onComplete(
            ctx.succeeding(
                s -> {
                  s.sim().enqueue(ScriptedResponse.hang(), ScriptedResponse.hang());
                  JsonObject request = SimHttp.messageRequest(5, "hi");
                  // A hung request outlives a client idle timeout...
                  s.http()
                      .send(
                          HttpMethod.POST,
                          "/v1/messages",
                          SimHttp.defaultHeaders(),
                          request.encode(),
                          200)
                      .onComplete(
                          ctx.failing(
                              timeout -> {
                                ctx.verify(
                                    () ->
                                        assertTrue(
                                            timeout instanceof TimeoutException,
                                            timeout.toString()));
                                // ...and a held one is released when the simulator closes.
                                long sent = System.nanoTime();
                                s.http()
                                    .send(
                                        HttpMethod.POST,
                                        "/v1/messages",
                                        SimHttp.defaultHeaders(),
                                        request.encode(),
                                        4000)
                                    .onComplete(
                                        ar ->
                                            ctx.verify(
                                                () -> {
                                                  long waitedMs =
                                                      (System.nanoTime() - sent) / 1_000_000;
                                                  boolean failedFast =
                                                      ar.failed() || !ar.result().complete();
                                                  assertTrue(failedFast);
                                                  assertTrue(waitedMs < 3000, "waited " + waitedMs);
                                                  ctx.completeNow();
                                                }));
                                vertx.setTimer(
                                    150,
                                    t -> {
                                      ctx.verify(() -> assertEquals(1, s.sim().heldRequests()));
                                      s.sim().close();
                                    });
                              }));
                }));
  }

  @Test
  void closeConnectionFailsTheRequestWithoutAnAnswer(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s -> {
              s.sim().enqueue(ScriptedResponse.closeConnection());
              return s.http()
                  .postMessage(SimHttp.messageRequest(5, "hi"))
                  .transform(ar -> Future.succeededFuture(ar.failed()))
                  .compose(
                      failed ->
                          s.http()
                              .postMessage(SimHttp.messageRequest(5, "hi"))
                              .map(next -> List.of(failed, next.status())));
            })
        .onComplete(
            ctx.succeeding(
                results ->
                    ctx.verify(
                        () -> {
                          assertEquals(Boolean.TRUE, results.get(0));
                          assertEquals(200, results.get(1));
                          ctx.completeNow();
                        })));
  }

  @Test
  void rawSseIsWrittenAsIsAndSseThenCutEndsAbruptly(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s -> {
              s.sim().enqueue(ScriptedResponse.sse(RAW_SSE), ScriptedResponse.sseThenCut(RAW_SSE));
              JsonObject request = SimHttp.messageRequest(5, "hi").put("stream", true);
              return SimTestSupport.sequential(2, () -> s.http().postMessage(request));
            })
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          SimHttp.Reply ended = replies.get(0);
                          assertEquals(200, ended.status());
                          assertTrue(ended.header("content-type").startsWith("text/event-stream"));
                          assertEquals(RAW_SSE, ended.body());
                          assertTrue(ended.complete());
                          SimHttp.Reply cut = replies.get(1);
                          assertEquals(RAW_SSE, cut.body());
                          assertFalse(cut.complete());
                          ctx.completeNow();
                        })));
  }

  @Test
  void delayAndPathRestrictionApply(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s -> {
              s.sim().enqueue(ScriptedResponse.status(529).delayMs(200).onlyFor("/v1/messages"));
              long start = System.nanoTime();
              return s.http()
                  .get("/v1/models")
                  .compose(
                      models ->
                          s.http()
                              .postMessage(SimHttp.messageRequest(5, "hi"))
                              .map(
                                  message -> {
                                    long ms = (System.nanoTime() - start) / 1_000_000;
                                    return List.of(models.status(), message.status(), (int) ms);
                                  }));
            })
        .onComplete(
            ctx.succeeding(
                results ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, results.get(0));
                          assertEquals(529, results.get(1));
                          assertTrue(results.get(2) >= 200, "took " + results.get(2) + " ms");
                          ctx.completeNow();
                        })));
  }

  @Test
  void scriptedStatusWithoutBodyGetsTheMatchingErrorBody(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s -> {
              s.sim().enqueue(ScriptedResponse.status(429).header("retry-after", "7"));
              return s.http().postMessage(SimHttp.messageRequest(5, "hi")).map(r -> s);
            })
        .onComplete(
            ctx.succeeding(
                s ->
                    ctx.verify(
                        () -> {
                          assertEquals(1, s.sim().statusCount(429));
                          assertNotNull(s.sim().lastRequest().requestId());
                          ctx.completeNow();
                        })));
  }
}
