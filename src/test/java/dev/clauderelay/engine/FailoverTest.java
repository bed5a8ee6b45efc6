package dev.clauderelay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.RegionOptions;
import dev.clauderelay.health.HealthOptions;
import dev.clauderelay.health.HealthVerticle;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two regions, each a simulator on its own loopback port: failover, breakers, 429 vs 529. */
class FailoverTest {
  private BlockedThreadWatch watch;
  private Vertx vertx;
  private SimulatedAnthropic a;
  private SimulatedAnthropic b;
  private final List<ClaudeClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    watch = new BlockedThreadWatch(200);
    vertx = watch.vertx();
    a = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    b = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> Await.result(c.close()));
    Await.result(a.close());
    Await.result(b.close());
    List<String> blocked = watch.warnings();
    watch.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  private ClaudeClient client(String aUrl, ClaudeClientOptions options) {
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            options
                .addRegion(new RegionOptions("a", aUrl).addApiKey("key-a-0001-not-secret"))
                .addRegion(new RegionOptions("b", b.baseUrl()).addApiKey("key-b-0001-not-secret")));
    clients.add(client);
    return client;
  }

  private static JsonObject hello() {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", 8)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static Region region(ClaudeClient client, String name) {
    return client.engine().regions().get(name).orElseThrow();
  }

  private static long posts(SimulatedAnthropic sim) {
    return sim.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/v1/messages"))
        .count();
  }

  @Test
  void overloadedRegionFailsOverAtOnceOpensItsBreakerAndComesBackAfterAProbe() {
    a.setProfile(FaultProfile.OVERLOADED);
    ClaudeClient client =
        client(
            a.baseUrl(),
            new ClaudeClientOptions()
                .setBreakerMaxFailures(3)
                .setBreakerResetTimeoutMs(300)
                .setBreakerRampMs(0)
                .setInitialBackoffMs(2_000));
    List<JsonObject> healthEvents = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(HealthVerticle.ADDRESS, m -> healthEvents.add(m.body()));

    long t0 = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      Await.result(client.messages(hello()));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;

    // Every request succeeded via b, never waiting a backoff (2 s) to do so.
    assertTrue(ms < 2_000, "six calls took " + ms + " ms");
    assertEquals(6, posts(b));
    assertEquals(3, posts(a), "a gets traffic only until its breaker opens");
    assertEquals(CircuitBreakerState.OPEN, region(client, "a").breaker().state());
    String scrape = client.metrics().scrape();
    assertTrue(scrape.contains("anthropic_circuit_state{region=\"a\",state=\"OPEN\"} 1.0"), scrape);
    assertTrue(scrape.contains("anthropic_region_up{region=\"a\"} 0.0"), scrape);
    assertTrue(
        scrape.contains("anthropic_retries_total{reason=\"overloaded\",region=\"a\"} 3.0"), scrape);
    assertTrue(
        scrape.contains(
            "anthropic_requests_total{endpoint=\"/v1/messages\",method=\"POST\","
                + "region=\"a\",status_code=\"529\"} 3.0"),
        scrape);

    // a recovers; the health probe (not user traffic) closes the breaker.
    a.setProfile(FaultProfile.HEALTHY);
    HealthVerticle health =
        new HealthVerticle(
            client.engine().regions(), client.engine().transports(), new HealthOptions(100, 1_000));
    String id = Await.result(vertx.deployVerticle(health));
    Promise<Void> closed = Promise.promise();
    long timer =
        vertx.setPeriodic(
            50,
            t -> {
              if (region(client, "a").breaker().state() == CircuitBreakerState.CLOSED) {
                closed.tryComplete();
              }
            });
    Await.result(closed.future());
    vertx.cancelTimer(timer);
    assertEquals(3, posts(a), "no user request was the half-open trial");
    assertTrue(
        healthEvents.stream().anyMatch(e -> "a".equals(e.getString("region"))),
        "claude.health published a's changes: " + healthEvents);

    // With the ramp over (rampMs 0), a takes traffic again when it is the faster region.
    b.setLatencyMs(150);
    Await.result(health.probeNow());
    Await.result(health.probeNow());
    Await.result(client.messages(hello()));
    assertEquals(4, posts(a), "traffic returned to a");
    assertTrue(
        client
            .metrics()
            .scrape()
            .contains("anthropic_circuit_state{region=\"a\",state=\"CLOSED\"} 1.0"));
    Await.result(vertx.undeploy(id));
  }

  @Test
  void aClosedPortFailsOverWithoutWaiting() {
    int closedPort = a.port();
    Await.result(a.close());
    ClaudeClient client =
        client(
            "http://127.0.0.1:" + closedPort,
            new ClaudeClientOptions().setInitialBackoffMs(2_000).setConnectTimeoutMs(5_000));
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      Await.result(client.messages(hello()));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 1_500, "three calls took " + ms + " ms");
    assertEquals(3, posts(b));
    a = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  @Test
  void aRegionThatNeverAnswersTimesOutAndTheOtherServes() {
    NetServer silent =
        Await.result(vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"));
    ClaudeClient client =
        client(
            "http://127.0.0.1:" + silent.actualPort(),
            new ClaudeClientOptions().setResponseTimeoutMs(300).setInitialBackoffMs(2_000));
    long t0 = System.nanoTime();
    Await.result(client.messages(hello()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 300 && ms < 1_500, "served by b after the first-byte timeout: " + ms + " ms");
    assertEquals(1, posts(b));
    Await.result(silent.close());
  }

  @Test
  void rateLimitedKeysPauseWithoutTouchingTheBreaker() {
    for (int i = 0; i < 5; i++) {
      a.enqueue(
          ScriptedResponse.error(429, "rate_limit_error", "slow down")
              .header("retry-after", "30")
              .onlyFor("/v1/messages"));
    }
    ClaudeClient client = client(a.baseUrl(), new ClaudeClientOptions().setBreakerMaxFailures(1));
    for (int i = 0; i < 4; i++) {
      Await.result(client.messages(hello()));
    }
    Region regionA = region(client, "a");
    assertEquals(CircuitBreakerState.CLOSED, regionA.breaker().state(), "429 is not 529");
    assertEquals(1, posts(a), "a's only key is paused until its reset: one 429, then b serves");
    assertEquals(4, posts(b));
    assertTrue(regionA.rateLimited(System.currentTimeMillis()));
    assertTrue(regionA.state() != RegionState.AUTH_FAILED);
  }

  @Test
  void aSecondKeyInTheSameRegionServesWhenTheFirstIsRateLimited() {
    a.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "slow down")
            .header("retry-after", "30")
            .onlyFor("/v1/messages"));
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .addRegion(
                    new RegionOptions("a", a.baseUrl())
                        .addApiKey("key-a-0001-not-secret")
                        .addApiKey("key-a-0002-not-secret")));
    clients.add(client);
    Await.result(client.messages(hello()));
    Await.result(client.messages(hello()));
    List<String> keys =
        a.requests().stream()
            .filter(r -> r.path().equals("/v1/messages"))
            .map(RecordedRequest::headers)
            .map(h -> h.get("x-api-key").get(0))
            .toList();
    assertEquals(3, keys.size());
    assertTrue(!keys.get(0).equals(keys.get(1)), "the retry used the other key: " + keys);
    assertEquals(keys.get(1), keys.get(2), "the paused key stays out of rotation");
  }

  @Test
  void pacingAtTwiceTheAllowedRateSeesNoUpstream429() {
    SimulatedAnthropic limited =
        Await.result(
            SimulatedAnthropic.start(
                vertx,
                new SimOptions()
                    .setPort(0)
                    .setProfile(FaultProfile.RATELIMITED)
                    .setRequestsPerMinute(4)
                    .setRateLimitWindowMs(500)));
    // 4 per 500 ms is 480/min; the client paces at that rate and is asked for twice as much.
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .addRegion(new RegionOptions("limited", limited.baseUrl()).addApiKey("k-limited-1"))
                .setRequestsPerMinute(480)
                .setDeadlineMs(20_000));
    clients.add(client);
    List<Future<?>> calls = new ArrayList<>();
    Promise<Void> sent = Promise.promise();
    int[] n = {0};
    vertx.setPeriodic(
        62,
        t -> {
          calls.add(client.messages(hello()));
          if (++n[0] == 24) {
            vertx.cancelTimer(t);
            sent.complete();
          }
        });
    Await.result(sent.future());
    Await.result(Future.all(calls));
    assertEquals(0, limited.statusCount(429), "upstream 429s");
    assertEquals(24, limited.statusCount(200));
    Await.result(limited.close());
  }
}
