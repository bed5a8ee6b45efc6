package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouterTest {

  /**
   * Rows: regions in configured order as {@code name:STATE:latency[:open|nokey|ramp=w]} (latency
   * {@code ?} = unknown), the random draw used for ramping regions, and the expected order.
   */
  static Stream<Arguments> rows() {
    return Stream.of(
        row("single", "a:UP:100", 0.0, "a"),
        row("state beats latency", "a:DEGRADED:10, b:UP:500", 0.0, "b,a"),
        row(
            "state order UP, UNKNOWN, DEGRADED, DOWN",
            "d:DOWN:1, c:DEGRADED:1, u:UNKNOWN:?, a:UP:900",
            0.0,
            "a,u,c,d"),
        row("faster first", "a:UP:200, b:UP:100", 0.0, "b,a"),
        row("order flips when latencies flip (1)", "a:UP:50, b:UP:200", 0.0, "a,b"),
        row("order flips when latencies flip (2)", "a:UP:200, b:UP:50", 0.0, "b,a"),
        row("within 10% is a tie: configured order", "a:UP:100, b:UP:95", 0.0, "a,b"),
        row("just outside 10%", "a:UP:100, b:UP:89", 0.0, "b,a"),
        row("within 5 ms is a tie for fast regions", "a:UP:8, b:UP:3.5", 0.0, "a,b"),
        row("6 ms apart at 3 ms is not a tie", "a:UP:9.5, b:UP:3", 0.0, "b,a"),
        row("ties do not chain", "x:UP:58, y:UP:54, z:UP:50", 0.0, "y,z,x"),
        row("unknown latency after known", "a:UP:?, b:UP:300", 0.0, "b,a"),
        row(
            "unknowns keep configured order",
            "a:UNKNOWN:?, b:UNKNOWN:?, c:UNKNOWN:?",
            0.0,
            "a,b,c"),
        row("AUTH_FAILED skipped", "a:AUTH_FAILED:1, b:UP:100", 0.0, "b"),
        row("open breaker skipped", "a:UP:1:open, b:DOWN:100", 0.0, "b"),
        row("no available key skipped", "a:UP:1:nokey, b:UP:100", 0.0, "b"),
        row("nothing usable", "a:UP:1:open, b:AUTH_FAILED:1, c:UP:1:nokey", 0.0, ""),
        row(
            "ramping region kept when the draw is below its weight",
            "a:UP:10:ramp=0.3, b:UP:50",
            0.2,
            "a,b"),
        row(
            "ramping region demoted when the draw is at or above",
            "a:UP:10:ramp=0.3, b:UP:50",
            0.3,
            "b,a"),
        row("weight 0 always demoted", "a:UP:10:ramp=0, b:DOWN:50", 0.0, "b,a"),
        row(
            "demoted keep their order at the end",
            "a:UP:10:ramp=0.1, b:UP:30:ramp=0.1, c:DEGRADED:5",
            0.5,
            "c,a,b"));
  }

  private static Arguments row(String name, String regions, double draw, String expected) {
    return Arguments.of(name, regions, draw, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void orders(String name, String regions, double draw, String expected) {
    List<Router.Candidate> candidates = parse(regions);
    String actual =
        Router.order(candidates, () -> draw).stream()
            .map(Router.Candidate::name)
            .collect(Collectors.joining(","));
    assertEquals(expected, actual, name);
  }

  @Test
  void tieToleranceIsTenPercentOrFiveMs() {
    assertTrue(Router.ties(100, 110));
    assertFalse(Router.ties(100, 110.5));
    assertTrue(Router.ties(1, 6));
    assertFalse(Router.ties(1, 6.5));
    assertTrue(Router.ties(1000, 1100));
    assertFalse(Router.ties(1000, 1101));
  }

  @Test
  void rampSendsAboutItsWeightOfTheCallsItWouldLead() {
    List<Router.Candidate> candidates = parse("a:UP:10:ramp=0.25, b:UP:50");
    int first = 0;
    int n = 1000;
    for (int i = 0; i < n; i++) {
      double draw = (i + 0.5) / n;
      if (Router.order(candidates, () -> draw).get(0).name().equals("a")) {
        first++;
      }
    }
    assertEquals(250, first);
  }

  private static List<Router.Candidate> parse(String spec) {
    List<Router.Candidate> out = new ArrayList<>();
    String[] items = spec.split(",");
    for (int i = 0; i < items.length; i++) {
      String[] f = items[i].trim().split(":");
      boolean closed = true;
      boolean hasKey = true;
      double ramp = 1;
      for (int j = 3; j < f.length; j++) {
        if (f[j].equals("open")) {
          closed = false;
        } else if (f[j].equals("nokey")) {
          hasKey = false;
        } else if (f[j].startsWith("ramp=")) {
          ramp = Double.parseDouble(f[j].substring(5));
        }
      }
      out.add(
          new Router.Candidate(
              f[0],
              i,
              RegionState.valueOf(f[1]),
              f[2].equals("?") ? Double.NaN : Double.parseDouble(f[2]),
              closed,
              hasKey,
              ramp));
    }
    return out;
  }
}
