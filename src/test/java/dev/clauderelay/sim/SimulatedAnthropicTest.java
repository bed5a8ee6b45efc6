package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
class SimulatedAnthropicTest {

  @Test
  void answersAJsonMessage(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(s -> s.http().postMessage(SimHttp.messageRequest(1024, "Say hello")))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, reply.status());
                          assertTrue(reply.header("content-type").startsWith("application/json"));
                          assertTrue(reply.header("request-id").startsWith("req_sim_"));
                          JsonObject message = reply.json();
                          assertTrue(message.getString("id").startsWith("msg_sim_"));
                          assertEquals("message", message.getString("type"));
                          assertEquals("assistant", message.getString("role"));
                          assertEquals("claude-sonnet-4-6", message.getString("model"));
                          JsonObject block = message.getJsonArray("content").getJsonObject(0);
                          assertEquals("text", block.getString("type"));
                          String text = block.getString("text");
                          assertEquals(SimOptions.DEFAULT_MAX_TEXT_TOKENS, text.split(" ").length);
                          assertEquals("end_turn", message.getString("stop_reason"));
                          assertTrue(message.containsKey("stop_sequence"));
                          assertNull(message.getValue("stop_sequence"));
                          JsonObject usage = message.getJsonObject("usage");
                          assertTrue(usage.getInteger("input_tokens") >= 1);
                          assertEquals(
                              SimOptions.DEFAULT_MAX_TEXT_TOKENS,
                              usage.getInteger("output_tokens"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void smallMaxTokensStopsWithMaxTokens(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(s -> s.http().postMessage(SimHttp.messageRequest(5, "Be brief")))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          JsonObject message = reply.json();
                          assertEquals("max_tokens", message.getString("stop_reason"));
                          assertEquals(
                              5, message.getJsonObject("usage").getInteger("output_tokens"));
                          String text =
                              message.getJsonArray("content").getJsonObject(0).getString("text");
                          assertEquals(5, text.split(" ").length);
                          ctx.completeNow();
                        })));
  }

  @Test
  void streamsTheAnthropicEventGrammar(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(40, "Stream please");
    SimTestSupport.start(vertx, new SimOptions().setSeed(3))
        .compose(
            s ->
                s.http()
                    .postMessage(request.copy().put("stream", true))
                    .compose(
                        streamed ->
                            s.http().postMessage(request).map(plain -> List.of(streamed, plain))))
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          SimHttp.Reply reply = replies.get(0);
                          assertEquals(200, reply.status());
                          assertTrue(reply.complete());
                          assertTrue(reply.header("content-type").startsWith("text/event-stream"));
                          List<SimHttp.SseEvent> events = reply.events();
                          List<String> names =
                              events.stream().map(SimHttp.SseEvent::event).toList();
                          assertEquals(
                              List.of("message_start", "content_block_start", "ping"),
                              names.subList(0, 3));
                          assertEquals(
                              List.of("content_block_stop", "message_delta", "message_stop"),
                              names.subList(names.size() - 3, names.size()));
                          List<String> middle = names.subList(3, names.size() - 3);
                          assertFalse(middle.isEmpty());
                          assertTrue(middle.stream().allMatch("content_block_delta"::equals));
                          for (SimHttp.SseEvent event : events) {
                            assertEquals(event.event(), event.data().getString("type"));
                          }
                          JsonObject start = events.get(0).data().getJsonObject("message");
                          assertEquals(0, start.getJsonArray("content").size());
                          assertTrue(start.containsKey("stop_reason"));
                          assertNull(start.getValue("stop_reason"));
                          String streamedText =
                              events.stream()
                                  .filter(e -> e.event().equals("content_block_delta"))
                                  .map(e -> e.data().getJsonObject("delta"))
                                  .peek(d -> assertEquals("text_delta", d.getString("type")))
                                  .map(d -> d.getString("text"))
                                  .collect(Collectors.joining());
                          JsonObject messageDelta = events.get(names.size() - 2).data();
                          assertEquals(
                              "max_tokens",
                              messageDelta.getJsonObject("delta").getString("stop_reason"));
                          assertEquals(
                              40, messageDelta.getJsonObject("usage").getInteger("output_tokens"));
                          assertEquals(
                              start.getJsonObject("usage").getInteger("input_tokens"),
                              messageDelta.getJsonObject("usage").getInteger("input_tokens"));
                          String plainText =
                              replies
                                  .get(1)
                                  .json()
                                  .getJsonArray("content")
                                  .getJsonObject(0)
                                  .getString("text");
                          assertEquals(plainText, streamedText);
                          ctx.completeNow();
                        })));
  }

  @Test
  void textIsDeterministicForSeedAndRequest(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = SimHttp.messageRequest(30, "Same question");
    Future<String> first = textFrom(vertx, 11, request);
    Future<String> again = textFrom(vertx, 11, request);
    Future<String> otherSeed = textFrom(vertx, 12, request);
    Future<String> otherPrompt = textFrom(vertx, 11, SimHttp.messageRequest(30, "Other question"));
    Future.all(first, again, otherSeed, otherPrompt)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          assertEquals(first.result(), again.result());
                          assertNotEquals(first.result(), otherSeed.result());
                          assertNotEquals(first.result(), otherPrompt.result());
                          ctx.completeNow();
                        })));
  }

  private static Future<String> textFrom(Vertx vertx, long seed, JsonObject request) {
    return SimTestSupport.start(vertx, new SimOptions().setSeed(seed))
        .compose(s -> s.http().postMessage(request))
        .map(r -> r.json().getJsonArray("content").getJsonObject(0).getString("text"));
  }

  @Test
  void rejectsInvalidRequestsWith400(Vertx vertx, VertxTestContext ctx) {
    JsonObject valid = SimHttp.messageRequest(10, "hi");
    JsonObject noModel = valid.copy();
    noModel.remove("model");
    JsonObject noMaxTokens = valid.copy();
    noMaxTokens.remove("max_tokens");
    JsonObject noMessages = valid.copy();
    noMessages.remove("messages");
    List<String> bodies =
        List.of(
            "{not json",
            noModel.encode(),
            noMaxTokens.encode(),
            noMessages.encode(),
            valid.copy().put("max_tokens", 0).encode(),
            valid.copy().put("messages", new JsonArray()).encode());
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s -> {
              int[] i = {0};
              return SimTestSupport.sequential(
                  bodies.size(),
                  () ->
                      s.http()
                          .send(
                              HttpMethod.POST,
                              "/v1/messages",
                              SimHttp.defaultHeaders(),
                              bodies.get(i[0]++),
                              0));
            })
        .onComplete(
            ctx.succeeding(
                replies ->
                    ctx.verify(
                        () -> {
                          for (SimHttp.Reply reply : replies) {
                            assertEquals(400, reply.status(), reply.body());
                            JsonObject body = reply.json();
                            assertEquals("error", body.getString("type"));
                            assertEquals(
                                "invalid_request_error",
                                body.getJsonObject("error").getString("type"));
                            assertEquals(reply.header("request-id"), body.getString("request_id"));
                          }
                          assertTrue(
                              replies
                                  .get(1)
                                  .json()
                                  .getJsonObject("error")
                                  .getString("message")
                                  .startsWith("model"));
                          assertTrue(
                              replies
                                  .get(2)
                                  .json()
                                  .getJsonObject("error")
                                  .getString("message")
                                  .startsWith("max_tokens"));
                          assertTrue(
                              replies
                                  .get(3)
                                  .json()
                                  .getJsonObject("error")
                                  .getString("message")
                                  .startsWith("messages"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void listsModelsCountsTokensAndAnswers404(Vertx vertx, VertxTestContext ctx) {
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s ->
                Future.all(
                    s.http().get("/v1/models"),
                    s.http().get("/v1/models?limit=1"),
                    s.http().get("/v1/models/claude-sonnet-4-6"),
                    s.http()
                        .send(
                            HttpMethod.POST,
                            "/v1/messages/count_tokens",
                            SimHttp.defaultHeaders(),
                            new JsonObject()
                                .put("model", "claude-sonnet-4-6")
                                .put(
                                    "messages",
                                    SimHttp.messageRequest(1, "x".repeat(400))
                                        .getJsonArray("messages"))
                                .encode(),
                            0),
                    s.http().get("/v1/nope")))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          SimHttp.Reply list = all.resultAt(0);
                          assertEquals(200, list.status());
                          JsonObject page = list.json();
                          JsonArray data = page.getJsonArray("data");
                          assertFalse(page.getBoolean("has_more"));
                          assertEquals(
                              data.getJsonObject(0).getString("id"), page.getString("first_id"));
                          assertEquals(
                              data.getJsonObject(data.size() - 1).getString("id"),
                              page.getString("last_id"));
                          boolean hasSonnet = false;
                          for (int i = 0; i < data.size(); i++) {
                            JsonObject model = data.getJsonObject(i);
                            assertEquals("model", model.getString("type"));
                            assertTrue(model.getString("display_name").startsWith("Claude"));
                            assertTrue(model.getString("created_at").endsWith("Z"));
                            hasSonnet |= model.getString("id").equals("claude-sonnet-4-6");
                          }
                          assertTrue(hasSonnet);

                          JsonObject firstPage = ((SimHttp.Reply) all.resultAt(1)).json();
                          assertEquals(1, firstPage.getJsonArray("data").size());
                          assertTrue(firstPage.getBoolean("has_more"));

                          SimHttp.Reply one = all.resultAt(2);
                          assertEquals("claude-sonnet-4-6", one.json().getString("id"));

                          SimHttp.Reply count = all.resultAt(3);
                          assertEquals(200, count.status());
                          assertTrue(count.json().getInteger("input_tokens") >= 100);

                          SimHttp.Reply missing = all.resultAt(4);
                          assertEquals(404, missing.status());
                          assertEquals(
                              "not_found_error",
                              missing.json().getJsonObject("error").getString("type"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void requiresAKeyAndChecksAcceptedKeys(Vertx vertx, VertxTestContext ctx) {
    String body = SimHttp.messageRequest(5, "hi").encode();
    MultiMap noKey = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    MultiMap wrongKey = SimHttp.defaultHeaders().set("x-api-key", "sk-wrong");
    MultiMap bearer =
        MultiMap.caseInsensitiveMultiMap()
            .add("authorization", "Bearer sk-good")
            .add("content-type", "application/json");
    SimTestSupport.start(vertx, new SimOptions().addAcceptedKey("sk-good"))
        .compose(
            s ->
                Future.all(
                    s.http().send(HttpMethod.POST, "/v1/messages", noKey, body, 0),
                    s.http().send(HttpMethod.POST, "/v1/messages", wrongKey, body, 0),
                    s.http().send(HttpMethod.POST, "/v1/messages", bearer, body, 0)))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          for (int i = 0; i < 2; i++) {
                            SimHttp.Reply denied = all.resultAt(i);
                            assertEquals(401, denied.status());
                            assertEquals(
                                "authentication_error",
                                denied.json().getJsonObject("error").getString("type"));
                          }
                          assertEquals(200, ((SimHttp.Reply) all.resultAt(2)).status());
                          ctx.completeNow();
                        })));
  }

  @Test
  void authCanBeDisabled(Vertx vertx, VertxTestContext ctx) {
    MultiMap noKey = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    SimTestSupport.start(vertx, new SimOptions().setRequireAuth(false))
        .compose(
            s ->
                s.http()
                    .send(
                        HttpMethod.POST,
                        "/v1/messages",
                        noKey,
                        SimHttp.messageRequest(5, "hi").encode(),
                        0))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, reply.status());
                          ctx.completeNow();
                        })));
  }

  @Test
  void recordsRequestsForAssertions(Vertx vertx, VertxTestContext ctx) {
    MultiMap headers =
        SimHttp.defaultHeaders()
            .add("Anthropic-Beta", "prompt-caching-2024-07-31")
            .add("X-Stainless-Retry-Count", "2");
    String body = SimHttp.messageRequest(5, "record me").encode();
    SimTestSupport.start(vertx, new SimOptions())
        .compose(
            s ->
                s.http()
                    .get("/v1/models")
                    .compose(v -> s.http().send(HttpMethod.POST, "/v1/messages", headers, body, 0))
                    .map(reply -> s))
        .onComplete(
            ctx.succeeding(
                s ->
                    ctx.verify(
                        () -> {
                          SimulatedAnthropic sim = s.sim();
                          assertEquals(2, sim.requestCount());
                          assertEquals(1, sim.requestCount("/v1/messages"));
                          assertEquals(1, sim.requestCount("/v1/models"));
                          assertEquals(2, sim.statusCount(200));
                          RecordedRequest last = sim.lastRequest();
                          assertEquals("POST", last.method());
                          assertEquals("/v1/messages", last.path());
                          assertEquals(SimHttp.KEY, last.header("X-API-KEY"));
                          assertEquals("2023-06-01", last.header("anthropic-version"));
                          assertEquals("prompt-caching-2024-07-31", last.header("anthropic-beta"));
                          assertEquals("2", last.header("x-stainless-retry-count"));
                          assertEquals(body, last.body());
                          assertEquals(
                              "record me",
                              last.bodyJson()
                                  .getJsonArray("messages")
                                  .getJsonObject(0)
                                  .getString("content"));
                          List<RecordedRequest> all = sim.requests();
                          assertEquals(2, all.size());
                          assertTrue(all.get(0).arrivalNanos() <= all.get(1).arrivalNanos());
                          assertEquals(0, all.get(0).sequence());
                          assertTrue(sim.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"));
                          ctx.completeNow();
                        })));
  }
}
