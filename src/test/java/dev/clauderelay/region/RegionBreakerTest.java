package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.testing.Await;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionBreakerTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("529 overloaded", api(529), true),
        Arguments.of("500", api(500), true),
        Arguments.of("503", api(503), true),
        Arguments.of("504", api(504), true),
        Arguments.of("429 rate limit", api(429), false),
        Arguments.of("400", api(400), false),
        Arguments.of("401", api(401), false),
        Arguments.of("403", api(403), false),
        Arguments.of("404", api(404), false),
        Arguments.of("413", api(413), false),
        Arguments.of(
            "connection refused",
            new ConnectionException(ConnectionException.Kind.REFUSED, "refused", null),
            true),
        Arguments.of(
            "DNS", new ConnectionException(ConnectionException.Kind.DNS, "dns", null), true),
        Arguments.of(
            "first-byte timeout",
            new ClaudeTimeoutException(ClaudeTimeoutException.Phase.RESPONSE_HEADERS, "t"),
            true),
        Arguments.of(
            "connect timeout",
            new ClaudeTimeoutException(ClaudeTimeoutException.Phase.CONNECT, "t"),
            true),
        Arguments.of(
            "body stall", new ClaudeTimeoutException(ClaudeTimeoutException.Phase.BODY, "t"), true),
        Arguments.of(
            "the call's own deadline",
            new ClaudeTimeoutException(ClaudeTimeoutException.Phase.DEADLINE, "t"),
            false),
        Arguments.of(
            "pacing", new PacingException(PacingException.Reason.DEADLINE, "k", 5, 0), false),
        Arguments.of("cancelled by the caller", new CancellationException(), false));
  }

  private static ApiException api(int status) {
    return ApiException.of(status, null, Map.of(), null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void onlyRegionFaultsCount(String name, Throwable failure, boolean counts) {
    assertEquals(counts, RegionBreaker.countsAsFailure(failure), name);
  }

  private static RegionBreaker breaker(
      int maxFailures, long resetMs, long rampMs, AtomicLong clock) {
    return new RegionBreaker(
        vertx, "t", new BreakerSettings(maxFailures, 10_000, resetMs, rampMs), clock::get);
  }

  @Test
  void opensAfterMaxFailuresAndNot429s() {
    RegionBreaker b = breaker(3, 60_000, 0, new AtomicLong());
    List<String> transitions = Collections.synchronizedList(new ArrayList<>());
    b.addListener((from, to) -> transitions.add(from + "->" + to));
    for (int i = 0; i < 20; i++) {
      Await.result(b.record(api(429)));
    }
    Await.result(b.recordFailure());
    Await.result(b.record(api(529)));
    assertEquals(2, b.failureCount());
    assertTrue(b.allowsTraffic());
    Await.result(b.record(new ConnectionException(ConnectionException.Kind.REFUSED, "x", null)));
    assertEquals(CircuitBreakerState.OPEN, b.state());
    assertFalse(b.allowsTraffic());
    assertEquals(0.0, b.rampWeight(0));
    assertEquals(List.of("CLOSED->OPEN"), transitions);
    b.close();
  }

  @Test
  void aSuccessClearsTheCount() {
    RegionBreaker b = breaker(3, 60_000, 0, new AtomicLong());
    Await.result(b.recordFailure());
    Await.result(b.recordFailure());
    Await.result(b.record(null));
    Await.result(b.recordFailure());
    Await.result(b.recordFailure());
    assertEquals(CircuitBreakerState.CLOSED, b.state());
    b.close();
  }

  @Test
  void halfOpenWaitsForAProbeThenRampsBack() {
    AtomicLong clock = new AtomicLong(1_000_000);
    RegionBreaker b = breaker(1, 150, 10_000, clock);
    List<String> transitions = Collections.synchronizedList(new ArrayList<>());
    b.addListener((from, to) -> transitions.add(from + "->" + to));
    Await.result(b.recordFailure());
    assertEquals(CircuitBreakerState.OPEN, b.state());

    // A probe success before the reset timeout does not close it: the timeout is the least time
    // out.
    Await.result(b.probeSucceeded());
    assertEquals(CircuitBreakerState.OPEN, b.state());

    Eventually.until(vertx, 3000, () -> b.state() == CircuitBreakerState.HALF_OPEN);
    assertFalse(b.allowsTraffic(), "half-open: no user traffic");
    // Late outcomes of user calls do not take the probe's trial.
    Await.result(b.recordSuccess());
    Await.result(b.recordFailure());
    assertEquals(CircuitBreakerState.HALF_OPEN, b.state());

    Await.result(b.probeFailed());
    assertEquals(CircuitBreakerState.OPEN, b.state());
    Eventually.until(vertx, 3000, () -> b.state() == CircuitBreakerState.HALF_OPEN);

    clock.set(2_000_000);
    Await.result(b.probeSucceeded());
    assertEquals(CircuitBreakerState.CLOSED, b.state());
    assertTrue(b.allowsTraffic());
    assertEquals(2_000_000, b.closedAtMs());
    assertEquals(0.0, b.rampWeight(2_000_000), 1e-9);
    assertEquals(0.25, b.rampWeight(2_002_500), 1e-9);
    assertEquals(0.5, b.rampWeight(2_005_000), 1e-9);
    assertEquals(1.0, b.rampWeight(2_010_000), 1e-9);
    assertEquals(1.0, b.rampWeight(2_500_000), 1e-9);
    assertEquals(
        List.of(
            "CLOSED->OPEN",
            "OPEN->HALF_OPEN",
            "HALF_OPEN->OPEN",
            "OPEN->HALF_OPEN",
            "HALF_OPEN->CLOSED"),
        transitions);
    b.close();
  }

  @Test
  void aBreakerThatNeverOpenedHasFullWeight() {
    RegionBreaker b = breaker(5, 60_000, 30_000, new AtomicLong());
    assertEquals(1.0, b.rampWeight(0));
    Await.result(b.probeSucceeded());
    Await.result(b.probeFailed());
    assertEquals(CircuitBreakerState.CLOSED, b.state());
    assertEquals(0, b.failureCount());
    b.close();
  }

  @Test
  void windowIsWholeSecondsAtLeastOne() {
    assertEquals(1000, new BreakerSettings(1, 1, 1, 0).effectiveWindowMs());
    assertEquals(2000, new BreakerSettings(1, 1500, 1, 0).effectiveWindowMs());
    assertEquals(10_000, BreakerSettings.defaults().effectiveWindowMs());
  }
}
