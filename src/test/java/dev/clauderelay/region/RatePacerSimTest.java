package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pacing against the simulator's {@code ratelimited} profile (a fixed window per key that opens
 * with the first request, reported in {@code anthropic-ratelimit-*} headers): a client offering
 * twice the allowed rate sees no 429 and every request succeeds within its deadline.
 */
class RatePacerSimTest {
  private static final int LIMIT = 4;
  private static final long WINDOW_MS = 500;
  private static final int REQUESTS = 9;

  private Vertx vertx;
  private SimulatedAnthropic sim;
  private RegionTransport transport;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim =
        Await.result(
            SimulatedAnthropic.start(
                vertx,
                new SimOptions()
                    .setProfile(FaultProfile.RATELIMITED)
                    .setRequestsPerMinute(LIMIT)
                    .setRateLimitWindowMs(WINDOW_MS)));
    transport =
        new RegionTransport(
            vertx, new TransportOptions(sim.baseUrl(), 2000, 5000, 5000, 16, 64, "2023-06-01"));
    // The first request of a JVM loads (and instruments) Netty's HTTP classes: not part of the
    // measurement. Listing models does not count against the simulated limit.
    Await.result(
        transport.send(UpstreamRequest.get("/v1/models", Map.of()), "warm-up", 5000).response());
  }

  @AfterEach
  void stop() {
    Await.result(sim.close());
    Await.result(vertx.close());
  }

  @Test
  void twiceTheAllowedRateGetsNo429AndEverythingSucceeds() {
    int rpm = (int) (LIMIT * 60_000 / WINDOW_MS);
    RatePacer pacer =
        new RatePacer("sim key", new TokenBucket(rpm, 1, true), 100, System::currentTimeMillis);
    long offerEveryMs = 60_000 / (2L * rpm);
    long deadlineMs = 8_000;
    Context ctx = vertx.getOrCreateContext();
    List<Future<Integer>> calls = new ArrayList<>();
    Promise<Void> offered = Promise.promise();
    long start = System.currentTimeMillis();
    ctx.runOnContext(
        v ->
            vertx.setPeriodic(
                1,
                offerEveryMs,
                id -> {
                  synchronized (calls) {
                    calls.add(call(pacer, ctx, System.currentTimeMillis() + deadlineMs));
                    if (calls.size() == REQUESTS) {
                      vertx.cancelTimer(id);
                      offered.complete();
                    }
                  }
                }));
    Await.result(offered.future());
    List<Integer> statuses = new ArrayList<>();
    synchronized (calls) {
      for (Future<Integer> f : calls) {
        statuses.add(Await.result(f));
      }
    }
    long took = System.currentTimeMillis() - start;

    assertEquals(Collections.nCopies(REQUESTS, 200), statuses);
    assertEquals(0, sim.statusCount(429), "upstream 429s");
    assertEquals(REQUESTS, sim.requestCount("/v1/messages"));
    // Three windows were needed: the pacer did hold requests back.
    assertTrue(took >= 2 * WINDOW_MS, "took " + took + " ms");
  }

  private Future<Integer> call(RatePacer pacer, Context ctx, long deadlineAtMs) {
    return pacer
        .acquire(ctx, deadlineAtMs)
        .compose(
            v -> {
              long sentAt = System.currentTimeMillis();
              return transport
                  .send(
                      request(), FakeKeys.SK_ANT + "FAKE-sim-test-key-0001", deadlineAtMs - sentAt)
                  .response()
                  .map(
                      (UpstreamResponse resp) -> {
                        pacer.onResponseHeaders(
                            resp.headerMap(), sentAt, System.currentTimeMillis());
                        return resp.status();
                      });
            });
  }

  private static UpstreamRequest request() {
    JsonObject body =
        new JsonObject()
            .put("model", "claude-test")
            .put("max_tokens", 4)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return UpstreamRequest.post("/v1/messages", Buffer.buffer(body.encode()), Map.of());
  }
}
