package dev.clauderelay.region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The order in which a call tries regions. Pure: the state of each region comes in as a {@link
 * Candidate}, randomness as a {@link DoubleSupplier}.
 *
 * <ol>
 *   <li><b>Usable only</b>: not AUTH_FAILED, breaker CLOSED (OPEN and HALF_OPEN are skipped: the
 *       half-open trial is the health probe's), and at least one key neither revoked nor paused.
 *   <li><b>By state</b>: UP, then UNKNOWN (not probed yet), then DEGRADED, then DOWN. DOWN stays in
 *       the list, last: a probe can be stale, and trying costs a fast connection failure.
 *   <li><b>By EWMA latency within a state, with a tie tolerance</b>: two latencies are a tie when
 *       the slower is within {@value #TIE_RELATIVE} × the faster or {@value #TIE_ABSOLUTE_MS} ms of
 *       it, whichever is more; ties keep the configured order, so measurement noise does not flap
 *       the order. Technically: sorted by latency, each group starts at the fastest region not yet
 *       placed and takes every region within the tolerance of that leader (no chaining); each group
 *       is put in configured order. A region without a latency sample sorts after those with one (a
 *       measured region is a known quantity), in configured order.
 *   <li><b>Ramp</b>: a region whose breaker closed less than {@code rampMs} ago has a weight {@code
 *       w < 1}. It keeps its place with probability {@code w} (one random draw per such region and
 *       call), otherwise it moves to the end of the list: it gets about {@code w} of the calls it
 *       would lead, and stays a fallback for the rest.
 * </ol>
 */
public final class Router {
  /** Relative tie tolerance: 10 % of the faster latency. */
  public static final double TIE_RELATIVE = 0.10;

  /** Absolute tie tolerance, milliseconds: matters for fast regions, where 10 % is noise. */
  public static final double TIE_ABSOLUTE_MS = 5.0;

  private Router() {}

  /**
   * A region as the router sees it.
   *
   * @param configuredIndex position in the configuration (the final tie-break)
   * @param latencyMs EWMA latency, NaN when unknown
   * @param breakerClosed whether the breaker lets traffic through (CLOSED)
   * @param hasKey whether a key is neither revoked nor paused
   * @param rampWeight share of traffic after a recovery, in [0, 1]; 1 when not ramping
   */
  public record Candidate(
      String name,
      int configuredIndex,
      RegionState state,
      double latencyMs,
      boolean breakerClosed,
      boolean hasKey,
      double rampWeight) {

    public boolean usable() {
      return state != RegionState.AUTH_FAILED && breakerClosed && hasKey;
    }

    /** Candidate view of a live region at {@code nowMs}. */
    public static Candidate of(Region region, int configuredIndex, long nowMs) {
      return new Candidate(
          region.name(),
          configuredIndex,
          region.state(),
          region.latencyMs(),
          region.breaker().allowsTraffic(),
          region.keys().hasAvailable(nowMs),
          region.breaker().rampWeight(nowMs));
    }
  }

  /** Usable regions of {@code regions} (in configured order) in the order to try them. */
  public static List<Region> order(List<Region> regions, long nowMs, DoubleSupplier random) {
    if (regions.size() == 1) {
      // One region (the common setup), once per attempt: the same answer without the sorting.
      Candidate c = Candidate.of(regions.get(0), 0, nowMs);
      if (!c.usable()) {
        return new ArrayList<>(0);
      }
      if (c.rampWeight() < 1) {
        random.getAsDouble(); // the draw the general path makes (a demoted sole region stays)
      }
      List<Region> out = new ArrayList<>(1);
      out.add(regions.get(0));
      return out;
    }
    List<Candidate> candidates = new ArrayList<>(regions.size());
    for (int i = 0; i < regions.size(); i++) {
      candidates.add(Candidate.of(regions.get(i), i, nowMs));
    }
    List<Region> out = new ArrayList<>();
    for (Candidate c : order(candidates, random)) {
      out.add(regions.get(c.configuredIndex()));
    }
    return out;
  }

  /** The usable candidates in the order to try them. */
  public static List<Candidate> order(List<Candidate> candidates, DoubleSupplier random) {
    List<Candidate> ranked = new ArrayList<>();
    for (int rank = 0; rank < RegionState.AUTH_FAILED.routingRank(); rank++) {
      int r = rank;
      ranked.addAll(
          byLatency(
              candidates.stream()
                  .filter(Candidate::usable)
                  .filter(c -> c.state().routingRank() == r)
                  .toList()));
    }
    List<Candidate> kept = new ArrayList<>(ranked.size());
    List<Candidate> demoted = new ArrayList<>();
    for (Candidate c : ranked) {
      if (c.rampWeight() < 1 && random.getAsDouble() >= Math.max(0, c.rampWeight())) {
        demoted.add(c);
      } else {
        kept.add(c);
      }
    }
    kept.addAll(demoted);
    return kept;
  }

  /** Whether {@code slower} is close enough to {@code faster} to count as a tie. */
  public static boolean ties(double faster, double slower) {
    return slower - faster <= Math.max(TIE_ABSOLUTE_MS, TIE_RELATIVE * faster);
  }

  private static List<Candidate> byLatency(List<Candidate> sameState) {
    Comparator<Candidate> byIndex = Comparator.comparingInt(Candidate::configuredIndex);
    List<Candidate> known =
        new ArrayList<>(
            sameState.stream()
                .filter(c -> !Double.isNaN(c.latencyMs()))
                .sorted(Comparator.comparingDouble(Candidate::latencyMs).thenComparing(byIndex))
                .toList());
    List<Candidate> out = new ArrayList<>(sameState.size());
    int i = 0;
    while (i < known.size()) {
      double leader = known.get(i).latencyMs();
      int end = i;
      while (end < known.size() && ties(leader, known.get(end).latencyMs())) {
        end++;
      }
      List<Candidate> group = new ArrayList<>(known.subList(i, end));
      group.sort(byIndex);
      out.addAll(group);
      i = end;
    }
    sameState.stream().filter(c -> Double.isNaN(c.latencyMs())).sorted(byIndex).forEach(out::add);
    return out;
  }
}
