package dev.clauderelay.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clauderelay.region.RegionState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeVerdictTest {

  @ParameterizedTest(name = "{0} (other keys left: {1}) -> {2}, breaker success {3}")
  @CsvSource({
    "200, true,  UP,          true",
    "204, true,  UP,          true",
    "401, false, AUTH_FAILED, true",
    "401, true,  UP,          true",
    "403, true,  AUTH_FAILED, true",
    "429, true,  UP,          true",
    "404, true,  DEGRADED,    true",
    "500, true,  DEGRADED,    false",
    "503, true,  DEGRADED,    false",
    "529, true,  DEGRADED,    false",
    "0,   true,  DOWN,        false",
  })
  void verdicts(int status, boolean othersLeft, RegionState state, boolean breakerSuccess) {
    assertEquals(state, ProbeVerdict.of(status, othersLeft));
    assertEquals(breakerSuccess, ProbeVerdict.breakerSuccess(status));
    assertEquals(breakerSuccess, ProbeVerdict.feedsLatency(status));
  }
}
