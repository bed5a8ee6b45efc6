package dev.clauderelay.cli;

import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimulatedAnthropic;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * What the demo's primary region does, request by request: intermittent errors, then an overload,
 * then health. Only {@code POST /v1/messages} misbehaves; the health probes ({@code GET
 * /v1/models}) keep passing, as they do upstream when the API is overloaded. That keeps the primary
 * the router's first choice, so its errors are met by retries and failovers rather than avoided
 * (the simulator's {@code flaky} profile also fails and slows the probes, and the router then sends
 * nearly everything to the other region: right, but there is little left to watch).
 *
 * <ol>
 *   <li>Requests before {@link #burstAt()}: each queues one answer on the primary, drawn from the
 *       seed with the {@code flaky} profile's odds: 15 % 529 {@code overloaded_error}, 10 % 500
 *       {@code api_error}, 10 % 429 {@code rate_limit_error} with {@code retry-after: 1}, else a
 *       normal answer. Whichever call reaches the primary next takes it.
 *   <li>At {@link #burstAt()}: the queue is replaced by {@link #BURST} 529s in a row, enough to
 *       open the breaker (3 failures in a row).
 *   <li>After them: healthy. The probes close the breaker once its reset timeout passed.
 * </ol>
 *
 * Called on the traffic's context only (the dice are not shared).
 */
final class DemoScenario implements IntConsumer {
  static final int BURST = 6;

  /** Share of the requests sent before the overload begins. */
  static final double BURST_SHARE = 0.3;

  private static final String MESSAGES = "/v1/messages";

  private final SimulatedAnthropic primary;
  private final int burstAt;
  private final SplittableRandom dice;

  DemoScenario(SimulatedAnthropic primary, int requests, long seed) {
    this.primary = primary;
    this.burstAt = (int) (requests * BURST_SHARE);
    this.dice = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
  }

  /** The index of the first request sent during the overload. */
  int burstAt() {
    return burstAt;
  }

  String describe() {
    return "errors on /v1/messages until request "
        + burstAt
        + " (15% 529, 10% 500, 10% 429 with a 1 s retry-after), then "
        + BURST
        + " x 529 in a row (an overload), then healthy; its health probes always pass";
  }

  @Override
  public void accept(int index) {
    if (index < burstAt) {
      primary.enqueue(roll().onlyFor(MESSAGES));
    } else if (index == burstAt) {
      primary.clearScript();
      for (int i = 0; i < BURST; i++) {
        primary.enqueue(ScriptedResponse.status(529).onlyFor(MESSAGES));
      }
    }
  }

  private ScriptedResponse roll() {
    double u = dice.nextDouble();
    if (u < 0.15) {
      return ScriptedResponse.status(529);
    }
    if (u < 0.25) {
      return ScriptedResponse.status(500);
    }
    if (u < 0.35) {
      return ScriptedResponse.status(429).header("retry-after", "1");
    }
    return ScriptedResponse.normal();
  }
}
