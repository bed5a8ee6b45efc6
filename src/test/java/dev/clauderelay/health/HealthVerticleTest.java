package dev.clauderelay.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.region.BreakerSettings;
import dev.clauderelay.region.Eventually;
import dev.clauderelay.region.KeyPool;
import dev.clauderelay.region.PacingSettings;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health probes on real sockets against simulators, one per region. */
class HealthVerticleTest {
  private static final String KEY = FakeKeys.SK_ANT + "api03-FAKE-health-test-key-0001";

  private Vertx vertx;
  private final List<SimulatedAnthropic> sims = new ArrayList<>();
  private final List<JsonObject> events = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, RegionTransport> transports = new LinkedHashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void warmUp() {
    ProbeWarmup.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Await.result(
        vertx
            .eventBus()
            .<JsonObject>consumer(HealthVerticle.ADDRESS, m -> events.add(m.body()))
            .completion());
  }

  @AfterEach
  void stop() {
    for (SimulatedAnthropic sim : sims) {
      assertEquals(0, sim.requestCount("/v1/messages"), "a probe reached POST /v1/messages");
      for (RecordedRequest r : sim.requests()) {
        assertEquals("GET /v1/models", r.method() + " " + r.path());
      }
      Await.result(sim.close());
    }
    Await.result(vertx.close());
  }

  private SimulatedAnthropic sim(SimOptions options) {
    SimulatedAnthropic sim = Await.result(SimulatedAnthropic.start(vertx, options));
    sims.add(sim);
    return sim;
  }

  private Region region(String name, String baseUrl, List<String> keys, List<Path> files) {
    return region(name, baseUrl, keys, files, BreakerSettings.defaults());
  }

  private Region region(
      String name, String baseUrl, List<String> keys, List<Path> files, BreakerSettings breaker) {
    KeyPool pool = Await.result(KeyPool.load(vertx, name, keys, files, System::currentTimeMillis));
    transports.put(
        name,
        new RegionTransport(
            vertx, new TransportOptions(baseUrl, 1000, 2000, 2000, 4, 16, "2023-06-01")));
    return Region.create(
        vertx, name, baseUrl, pool, breaker, PacingSettings.defaults(), System::currentTimeMillis);
  }

  private HealthVerticle deploy(RegionTable table, long intervalMs, long timeoutMs) {
    return deploy(table, new HealthOptions(intervalMs, timeoutMs));
  }

  private HealthVerticle deploy(RegionTable table, HealthOptions options) {
    HealthVerticle health = new HealthVerticle(table, transports, options);
    Await.result(vertx.deployVerticle(health));
    return health;
  }

  private List<JsonObject> eventsOf(String region) {
    synchronized (events) {
      return events.stream().filter(e -> region.equals(e.getString("region"))).toList();
    }
  }

  private static int closedPort(Vertx vertx) {
    SimulatedAnthropic s = Await.result(SimulatedAnthropic.start(vertx, new SimOptions()));
    int port = s.port();
    Await.result(s.close());
    return port;
  }

  @Test
  void eachAnswerGivesItsState() {
    SimulatedAnthropic ok = sim(new SimOptions());
    SimulatedAnthropic unauthorized = sim(new SimOptions().addAcceptedKey("another-key-0000000"));
    SimulatedAnthropic forbidden = sim(new SimOptions());
    forbidden.enqueue(ScriptedResponse.error(403, "permission_error", "not for this key"));
    SimulatedAnthropic limited = sim(new SimOptions());
    limited.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "slow down").header("retry-after", "30"));
    SimulatedAnthropic overloaded = sim(new SimOptions().setProfile(FaultProfile.OVERLOADED));
    SimulatedAnthropic stalled = sim(new SimOptions().setProfile(FaultProfile.STALL));
    SimulatedAnthropic plain = sim(new SimOptions());

    List<Region> regions =
        List.of(
            region("ok", ok.baseUrl(), List.of(KEY), List.of()),
            region("unauthorized", unauthorized.baseUrl(), List.of(KEY), List.of()),
            region("forbidden", forbidden.baseUrl(), List.of(KEY), List.of()),
            region("limited", limited.baseUrl(), List.of(KEY), List.of()),
            region("overloaded", overloaded.baseUrl(), List.of(KEY), List.of()),
            region("stalled", stalled.baseUrl(), List.of(KEY), List.of()),
            region("closed", "http://127.0.0.1:" + closedPort(vertx), List.of(KEY), List.of()),
            region("nodns", "http://relay-health-test.invalid:8080", List.of(KEY), List.of()),
            region("notls", "https://127.0.0.1:" + plain.port(), List.of(KEY), List.of()));
    RegionTable table = new RegionTable(regions);
    long started = System.currentTimeMillis();
    HealthVerticle health = deploy(table, 60_000, 1000);
    Await.result(health.probeNow());
    long took = System.currentTimeMillis() - started;
    assertTrue(took < 4000, "one round, bounded by the probe timeout: " + took + " ms");

    Map<String, String> states =
        table.regions().stream()
            .collect(
                Collectors.toMap(
                    Region::name, r -> r.state().name(), (a, b) -> a, LinkedHashMap::new));
    assertEquals(
        Map.of(
            "ok", "UP",
            "unauthorized", "AUTH_FAILED",
            "forbidden", "AUTH_FAILED",
            "limited", "UP",
            "overloaded", "DEGRADED",
            "stalled", "DOWN",
            "closed", "DOWN",
            "nodns", "DOWN",
            "notls", "DOWN"),
        states);

    Region okRegion = table.get("ok").orElseThrow();
    ProbeResult p = okRegion.lastProbe();
    assertEquals(200, p.status());
    assertEquals(-1, p.dnsMs(), "an IP address needs no DNS");
    assertTrue(p.tcpMs() >= 0 && p.httpMs() >= 0 && p.totalMs() >= p.httpMs(), p.toString());
    assertEquals(-1, p.tlsMs());
    assertTrue(p.requestId().startsWith("req_"), p.requestId());
    assertFalse(Double.isNaN(okRegion.latencyMs()), "probe latency feeds the EWMA");
    assertTrue(okRegion.usable(System.currentTimeMillis()));

    Region unauthorizedRegion = table.get("unauthorized").orElseThrow();
    assertEquals(1, unauthorizedRegion.keys().revocationCount());
    assertFalse(unauthorizedRegion.usable(System.currentTimeMillis()));
    assertEquals(401, unauthorizedRegion.lastProbe().status());

    assertEquals(403, table.get("forbidden").orElseThrow().lastProbe().status());
    assertEquals(0, table.get("forbidden").orElseThrow().keys().revocationCount());

    Region limitedRegion = table.get("limited").orElseThrow();
    assertTrue(limitedRegion.rateLimited(System.currentTimeMillis()));
    assertFalse(limitedRegion.usable(System.currentTimeMillis()), "its only key is paused");
    assertEquals(CircuitBreakerState.CLOSED, limitedRegion.breaker().state());

    Region overloadedRegion = table.get("overloaded").orElseThrow();
    assertEquals(529, overloadedRegion.lastProbe().status());
    assertTrue(Double.isNaN(overloadedRegion.latencyMs()), "fast errors are no latency sample");

    assertLayer(table, "stalled", ProbeResult.Layer.HTTP);
    assertLayer(table, "closed", ProbeResult.Layer.TCP);
    assertLayer(table, "nodns", ProbeResult.Layer.DNS);
    assertLayer(table, "notls", ProbeResult.Layer.TLS);
    assertTrue(
        table.get("stalled").orElseThrow().lastProbe().error().contains("1000 ms"),
        table.get("stalled").orElseThrow().lastProbe().error());

    Eventually.until(vertx, 2000, () -> events.size() >= regions.size(), events::toString);
    for (Region r : regions) {
      List<JsonObject> of = eventsOf(r.name());
      assertEquals(1, of.size(), r.name() + ": " + of);
      JsonObject e = of.get(0);
      assertEquals("UNKNOWN", e.getString("previous"));
      assertEquals(states.get(r.name()), e.getString("state"));
      assertEquals("CLOSED", e.getString("breaker"));
      assertEquals("probe", e.getString("cause"));
      assertNotNull(e.getLong("at"));
    }
    assertEquals(200, eventsOf("ok").get(0).getInteger("status"));
    assertNotNull(eventsOf("ok").get(0).getDouble("latencyMs"));

    String status = table.snapshot(System.currentTimeMillis()).encode();
    assertFalse(status.contains(KEY), "no key in /status");
  }

  private static void assertLayer(RegionTable table, String name, ProbeResult.Layer layer) {
    ProbeResult p = table.get(name).orElseThrow().lastProbe();
    assertEquals(layer, p.failedLayer(), name + ": " + p);
    assertEquals(0, p.status());
    assertNotNull(p.error());
  }

  @Test
  void aRotatedKeyFileBringsAnAuthFailedRegionBackWithoutARestart() throws Exception {
    SimulatedAnthropic sim = sim(new SimOptions().addAcceptedKey("good-key-0000000001"));
    Path file = dir.resolve("api-key");
    Files.writeString(file, "bad-key-0000000001\n");
    Region r = region("a", sim.baseUrl(), List.of(), List.of(file));
    RegionTable table = new RegionTable(List.of(r));
    HealthVerticle health = deploy(table, 60_000, 1000);
    Await.result(health.probeNow());
    assertEquals(RegionState.AUTH_FAILED, r.state());
    assertFalse(r.usable(System.currentTimeMillis()));

    Files.writeString(file, "good-key-0000000001\n");
    Await.result(health.probeNow());
    assertEquals(RegionState.UP, r.state());
    assertTrue(r.usable(System.currentTimeMillis()));

    Eventually.until(vertx, 2000, () -> eventsOf("a").size() >= 2, events::toString);
    List<String> transitions =
        eventsOf("a").stream()
            .map(e -> e.getString("previous") + "->" + e.getString("state"))
            .toList();
    assertEquals(List.of("UNKNOWN->AUTH_FAILED", "AUTH_FAILED->UP"), transitions);
    List<String> keysUsed =
        sim.requests().stream().map(q -> q.headers().get("x-api-key").get(0)).toList();
    assertEquals("bad-key-0000000001", keysUsed.get(0));
    assertEquals("good-key-0000000001", keysUsed.get(keysUsed.size() - 1));
  }

  @Test
  void anOpenBreakerWaitsForAProbeThenTrafficRampsBack() {
    SimulatedAnthropic sim = sim(new SimOptions());
    Region r =
        region(
            "a",
            sim.baseUrl(),
            List.of(KEY),
            List.of(),
            new BreakerSettings(2, 10_000, 200, 5_000));
    RegionTable table = new RegionTable(List.of(r));
    HealthVerticle health = deploy(table, 60_000, 1000);
    Await.result(health.probeNow());
    assertEquals(RegionState.UP, r.state());

    Await.result(r.breaker().recordFailure());
    Await.result(r.breaker().recordFailure());
    assertEquals(CircuitBreakerState.OPEN, r.breaker().state());
    assertEquals(List.of(), table.route(System.currentTimeMillis(), () -> 0.0));
    Eventually.until(vertx, 2000, () -> r.breaker().state() == CircuitBreakerState.HALF_OPEN);
    assertEquals(
        List.of(),
        table.route(System.currentTimeMillis(), () -> 0.0),
        "half-open: still no user traffic until a probe succeeds");

    Await.result(health.probeNow());
    assertEquals(CircuitBreakerState.CLOSED, r.breaker().state());
    double early = r.breaker().rampWeight(System.currentTimeMillis());
    assertTrue(early < 0.5, "ramp starts low: " + early);
    Eventually.until(
        vertx, 3000, () -> r.breaker().rampWeight(System.currentTimeMillis()) > early + 0.05);

    Eventually.until(vertx, 2000, () -> eventsOf("a").size() >= 4, events::toString);
    List<String> breakerStates = eventsOf("a").stream().map(e -> e.getString("breaker")).toList();
    assertEquals(List.of("CLOSED", "OPEN", "HALF_OPEN", "CLOSED"), breakerStates);
    assertEquals("breaker", eventsOf("a").get(1).getString("cause"));
    assertEquals("probe", eventsOf("a").get(3).getString("cause"));
  }

  @Test
  void roundsNeverOverlap() {
    SimulatedAnthropic sim = sim(new SimOptions().setLatencyMs(150));
    Region r = region("a", sim.baseUrl(), List.of(KEY), List.of());
    HealthVerticle health = deploy(new RegionTable(List.of(r)), 30, 1000);
    Eventually.until(vertx, 4000, () -> health.rounds() >= 4);
    List<RecordedRequest> seen = sim.requests();
    assertTrue(seen.size() >= 4);
    for (int i = 1; i < seen.size(); i++) {
      long gapMs = (seen.get(i).arrivalNanos() - seen.get(i - 1).arrivalNanos()) / 1_000_000;
      assertTrue(gapMs >= 170, "probe " + i + " came " + gapMs + " ms after the previous one");
    }
  }

  @Test
  void theRouterPrefersTheFasterRegionAndFlipsWhenLatenciesFlip() {
    SimulatedAnthropic a = sim(new SimOptions().setLatencyMs(120));
    SimulatedAnthropic b = sim(new SimOptions().setLatencyMs(5));
    Region ra = region("a", a.baseUrl(), List.of(KEY), List.of());
    Region rb = region("b", b.baseUrl(), List.of(KEY), List.of());
    RegionTable table = new RegionTable(List.of(ra, rb));
    HealthVerticle health = deploy(table, 60_000, 1000);
    Await.result(health.probeNow());
    Await.result(health.probeNow());
    assertEquals(List.of(rb, ra), table.route(System.currentTimeMillis(), () -> 0.0));

    a.setLatencyMs(5);
    b.setLatencyMs(120);
    int rounds = 0;
    while (!table.route(System.currentTimeMillis(), () -> 0.0).equals(List.of(ra, rb))) {
      assertTrue(
          ++rounds <= 6, "order did not flip: a " + ra.latencyMs() + ", b " + rb.latencyMs());
      Await.result(health.probeNow());
    }
  }
}
