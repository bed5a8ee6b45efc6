package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionTest {
  private static final String KEY = FakeKeys.SK_ANT + "api03-FAKE-region-test-key-9f9f";
  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  static Stream<Arguments> ewmaRows() {
    return Stream.of(
        Arguments.of(0.3, new double[] {100}, 100.0),
        Arguments.of(0.3, new double[] {100, 200}, 130.0),
        Arguments.of(0.5, new double[] {100, 200, 200}, 175.0),
        Arguments.of(1.0, new double[] {100, 7}, 7.0),
        Arguments.of(0.3, new double[] {100, -5, Double.NaN, 100}, 100.0));
  }

  @ParameterizedTest
  @MethodSource("ewmaRows")
  void ewma(double alpha, double[] samples, double expected) {
    Ewma e = new Ewma(alpha);
    assertTrue(Double.isNaN(e.value()));
    for (double s : samples) {
      e.add(s);
    }
    assertEquals(expected, e.value(), 1e-9);
  }

  @Test
  void ewmaRejectsABadAlpha() {
    assertThrows(IllegalArgumentException.class, () -> new Ewma(0));
    assertThrows(IllegalArgumentException.class, () -> new Ewma(1.5));
  }

  private static Region region(String name, List<String> keys) {
    return Region.create(
        vertx,
        name,
        "https://user:secret@" + name + ".example.com/base?token=abc",
        KeyPool.create(vertx, name, keys, List.of(), () -> 0L),
        BreakerSettings.defaults(),
        PacingSettings.defaults(),
        System::currentTimeMillis);
  }

  private static ProbeResult probe(RegionState state) {
    return new ProbeResult(1, state, null, -1, 1, 2, 3, 6, 200, null, "req_1", "fp");
  }

  @Test
  void stateComesFromProbesAndKeys() {
    Region r = region("a", List.of(KEY));
    assertEquals(RegionState.UNKNOWN, r.state());
    r.applyProbe(probe(RegionState.UP));
    assertEquals(RegionState.UP, r.state());
    assertTrue(r.usable(0));
    r.onUnauthorized(r.keys().next(0).orElseThrow());
    assertEquals(RegionState.AUTH_FAILED, r.state());
    assertFalse(r.usable(0));
  }

  @Test
  void aRotatedKeyLiftsAnAuthFailure() throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "bad-key-0000000000");
    KeyPool pool = Await.result(KeyPool.load(vertx, "a", List.of(), List.of(file), () -> 0L));
    Region r =
        new Region(
            "a",
            "http://127.0.0.1:1",
            pool,
            new RegionBreaker(vertx, "a", BreakerSettings.defaults(), () -> 0L),
            PacingSettings.defaults(),
            0.3,
            () -> 0L);
    // 403: AUTH_FAILED although the key is not revoked.
    r.applyProbe(probe(RegionState.AUTH_FAILED));
    assertEquals(RegionState.AUTH_FAILED, r.state());
    Files.writeString(file, "good-key-000000000");
    assertTrue(Await.result(pool.refresh()));
    assertEquals(RegionState.UNKNOWN, r.state(), "unproven until the next probe, but usable");
    assertTrue(r.usable(0));
  }

  @Test
  void a429PausesTheKeyAndItsPacer() {
    Region r = region("a", List.of(KEY));
    ApiKey key = r.keys().next(0).orElseThrow();
    long until = r.onRateLimited(key, Map.of("retry-after", "2"), 1000);
    assertEquals(3000, until);
    assertTrue(r.rateLimited(2000));
    assertFalse(r.usable(2000), "no key available");
    assertFalse(r.rateLimited(3000));
    assertSame(r.pacer(key), r.pacer(key));
    assertEquals(RegionState.UNKNOWN, r.state(), "a 429 is not a state");
  }

  @Test
  void snapshotHasNoSecrets() {
    Region r = region("a", List.of(KEY));
    r.recordLatency(42);
    r.applyProbe(probe(RegionState.UP));
    RegionTable table = new RegionTable(List.of(r, region("b", List.of())));
    JsonObject json = table.snapshot(0);
    String text = json.encode();
    assertFalse(text.contains(KEY), text);
    assertFalse(text.contains("secret"), text);
    assertFalse(text.contains("token=abc"), text);
    JsonObject a = json.getJsonArray("regions").getJsonObject(0);
    assertEquals("a", a.getString("name"));
    assertEquals("https://a.example.com/base", a.getString("baseUrl"));
    assertEquals("UP", a.getString("state"));
    assertEquals("CLOSED", a.getString("breaker"));
    assertEquals(42.0, a.getDouble("latencyMs"));
    assertEquals("sk-ant-…9f9f", a.getJsonArray("keys").getJsonObject(0).getString("fingerprint"));
    assertEquals("req_1", a.getJsonObject("lastProbe").getString("requestId"));
    JsonObject b = json.getJsonArray("regions").getJsonObject(1);
    assertEquals("AUTH_FAILED", b.getString("state"), "a region without keys cannot serve");
    assertTrue(b.getValue("latencyMs") == null);
    assertTrue(table.anyUsable(0));
    table.close();
  }

  @Test
  void routeOrderFollowsLatencyAndFlipsWithIt() {
    Region a = region("a", List.of(KEY));
    Region b = region("b", List.of(KEY));
    a.applyProbe(probe(RegionState.UP));
    b.applyProbe(probe(RegionState.UP));
    RegionTable table = new RegionTable(List.of(a, b));
    a.recordLatency(300);
    b.recordLatency(40);
    assertEquals(List.of(b, a), table.route(0, () -> 0.5));
    for (int i = 0; i < 6; i++) {
      a.recordLatency(40);
      b.recordLatency(300);
    }
    assertEquals(List.of(a, b), table.route(0, () -> 0.5));
    table.close();
  }

  @Test
  void namesMustBeUnique() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RegionTable(List.of(region("a", List.of()), region("a", List.of()))));
  }
}
