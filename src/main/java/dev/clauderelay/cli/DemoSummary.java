package dev.clauderelay.cli;

import dev.clauderelay.cli.DemoTraffic.Result;
import dev.clauderelay.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * What the demo saw, from three sides: the answers (status and the gateway's {@code x-relay-*}
 * headers), the relay's own meters, and the regions' breaker transitions and health changes. Built
 * on the command's thread after the traffic finished; rendered as text or JSON.
 */
final class DemoSummary {
  /** In "answered by": the relay itself (no region answered). */
  static final String RELAY = "relay";

  /** Text lines are wrapped at this width where they hold free text. */
  private static final int WIDTH = 96;

  /** Transitions listed one by one per region; more are counted. */
  private static final int MAX_LISTED = 8;

  /** The setting of a run, for the header. */
  record Setup(
      String gatewayUrl,
      List<RegionInfo> regions,
      int requests,
      int concurrency,
      long spreadMs,
      long seed) {}

  /** A simulated region: its name, URL, role and what it was made to do. */
  record RegionInfo(String name, String baseUrl, String role, String behaviour) {}

  /** A change of a region's breaker or health state, {@code atMs} after the traffic started. */
  record Change(long atMs, String region, String from, String to) {}

  private final Setup setup;
  private final String preferred;
  private final List<Result> results;
  private final List<Change> breakers;
  private final List<Change> states;
  private final long durationMs;
  private final Map<String, Map<String, Long>> attemptsByRegion;
  private final Map<String, Long> retryCauses;
  private final Map<String, Long> degradedMeter;
  private final Map<String, Long> cacheLookups;

  DemoSummary(
      Setup setup,
      List<Result> results,
      MeterRegistry registry,
      List<Change> breakers,
      List<Change> states,
      long durationMs) {
    this.setup = setup;
    this.preferred = setup.regions().get(0).name();
    this.results = List.copyOf(results);
    this.breakers = List.copyOf(breakers);
    this.states = List.copyOf(states);
    this.durationMs = durationMs;
    this.attemptsByRegion = new TreeMap<>();
    for (Counter c : registry.find(MetricNames.REQUESTS).counters()) {
      attemptsByRegion
          .computeIfAbsent(c.getId().getTag("region"), r -> new TreeMap<>())
          .merge(c.getId().getTag("status_code"), Math.round(c.count()), Long::sum);
    }
    this.retryCauses = countersBy(registry, MetricNames.RETRIES, "reason");
    this.degradedMeter = countersBy(registry, MetricNames.DEGRADED, "level");
    this.cacheLookups = countersBy(registry, MetricNames.CACHE_REQUESTS, "result");
  }

  // ---- figures --------------------------------------------------------------------------------

  int requests() {
    return setup.requests();
  }

  long ok() {
    return results.stream().filter(Result::ok).count();
  }

  long failed() {
    return results.size() - ok();
  }

  long unanswered() {
    return setup.requests() - results.size();
  }

  /** Answers by status, failures by what failed ({@code 529}, {@code stream error}, …). */
  Map<String, Long> byStatus() {
    return count(r -> r.ok() ? Integer.toString(r.status()) : r.failure());
  }

  long attempts() {
    return results.stream().mapToLong(Result::attempts).sum();
  }

  /** Attempts beyond the first of each call that went upstream at all. */
  long retries() {
    return attempts() - results.stream().filter(r -> r.attempts() > 0).count();
  }

  /**
   * Successful answers by the region that gave them, in configured order; {@code relay} when the
   * relay answered itself (the degradation chain: no {@code x-relay-region}).
   */
  Map<String, Long> answeredBy() {
    Map<String, Long> counts =
        count(r -> r.ok() ? (r.region() == null ? RELAY : r.region()) : null);
    Map<String, Long> ordered = new LinkedHashMap<>();
    setup.regions().forEach(r -> ordered.put(r.name(), counts.getOrDefault(r.name(), 0L)));
    counts.forEach(ordered::putIfAbsent);
    return ordered;
  }

  /**
   * Successful answers from a region other than the preferred (configured first) one, after a
   * failed attempt.
   */
  long failovers() {
    return results.stream()
        .filter(
            r -> r.ok() && r.attempts() > 1 && r.region() != null && !r.region().equals(preferred))
        .count();
  }

  Map<String, Long> degraded() {
    return count(r -> r.degraded());
  }

  long degradedTotal() {
    return degraded().values().stream().mapToLong(Long::longValue).sum();
  }

  // ---- rendering ------------------------------------------------------------------------------

  JsonObject toJson() {
    JsonObject regions = new JsonObject();
    for (RegionInfo r : setup.regions()) {
      JsonArray transitions = new JsonArray();
      changesOf(breakers, r.name())
          .forEach(
              c ->
                  transitions.add(
                      new JsonObject()
                          .put("atMs", c.atMs())
                          .put("from", c.from())
                          .put("to", c.to())));
      JsonArray health = new JsonArray();
      changesOf(states, r.name())
          .forEach(
              c ->
                  health.add(
                      new JsonObject()
                          .put("atMs", c.atMs())
                          .put("from", c.from())
                          .put("to", c.to())));
      regions.put(
          r.name(),
          new JsonObject()
              .put("baseUrl", r.baseUrl())
              .put("role", r.role())
              .put("behaviour", r.behaviour())
              .put("preferred", r.name().equals(preferred))
              .put("attemptsByStatus", json(attemptsByRegion.getOrDefault(r.name(), Map.of())))
              .put("breakerTransitions", transitions)
              .put("healthChanges", health));
    }
    return new JsonObject()
        .put("gateway", setup.gatewayUrl())
        .put("seed", setup.seed())
        .put("concurrency", setup.concurrency())
        .put("spreadMs", setup.spreadMs())
        .put("durationMs", durationMs)
        .put("regions", regions)
        .put(
            "requests",
            new JsonObject()
                .put("total", requests())
                .put("ok", ok())
                .put("failed", failed())
                .put("unanswered", unanswered())
                .put("streamed", results.stream().filter(r -> r.call().stream()).count())
                .put("repeated", results.stream().filter(r -> r.call().repeat()).count())
                .put("byStatus", json(byStatus())))
        .put(
            "attempts",
            new JsonObject()
                .put("total", attempts())
                .put("retries", retries())
                .put("retryCauses", json(retryCauses)))
        .put(
            "failover",
            new JsonObject().put("answeredBy", json(answeredBy())).put("failovers", failovers()))
        .put(
            "degraded",
            new JsonObject()
                .put("total", degradedTotal())
                .put("byLevel", json(degraded()))
                .put("meter", json(degradedMeter))
                .put("cacheLookups", json(cacheLookups)))
        .put(
            "latencyMs",
            new JsonObject()
                .put("json", percentiles(nanos(false, Result::totalNanos)).toJson())
                .put("streamFirstByte", percentiles(nanos(true, Result::firstByteNanos)).toJson())
                .put("streamWhole", percentiles(nanos(true, Result::totalNanos)).toJson()));
  }

  String toText() {
    StringBuilder out = new StringBuilder();
    line(out, "claude-relay demo: the gateway, wired as `serve` runs it, over two simulated");
    line(out, "regions on 127.0.0.1 (no key, no network)");
    line(out, "");
    line(out, "  gateway   %s", setup.gatewayUrl());
    for (RegionInfo r : setup.regions()) {
      line(out, "  %-8s  %s  (%s)", r.name(), r.baseUrl(), r.role());
      for (String part : wrap(r.behaviour(), WIDTH - 12)) {
        line(out, "  %-8s  %s", "", part);
      }
    }
    line(
        out,
        "  traffic   %d requests (%d streamed, %d repeated with temperature 0), %d at a time,"
            + " %.1f s",
        requests(),
        results.stream().filter(r -> r.call().stream()).count(),
        results.stream().filter(r -> r.call().repeat()).count(),
        setup.concurrency(),
        durationMs / 1000.0);

    section(out, "Requests");
    line(
        out,
        "  requests: %d  ok: %d  failed: %d  unanswered: %d",
        requests(),
        ok(),
        failed(),
        unanswered());
    line(out, "  by status: %s", times(byStatus()));

    section(out, "Upstream attempts");
    line(
        out,
        "  attempts: %d  retries: %d  (x-relay-attempts summed; retries = attempts beyond the first)",
        attempts(),
        retries());
    long metered = 0;
    for (RegionInfo r : setup.regions()) {
      Map<String, Long> statuses = attemptsByRegion.getOrDefault(r.name(), Map.of());
      metered += sum(statuses);
      line(
          out,
          "  %s: %d attempts%s",
          r.name(),
          sum(statuses),
          statuses.isEmpty() ? "" : " (" + times(statuses) + ")");
    }
    line(out, "  retry and failover causes: %s", times(retryCauses));
    line(
        out, "  (per region and causes: meters anthropic_requests_total, anthropic_retries_total)");
    if (metered != attempts()) {
      line(
          out,
          "  note: the meter counts %d of the %d attempts: streamed calls' attempts are not in it",
          metered,
          attempts());
    }

    section(out, "Failover");
    line(out, "  answered by: %s  (relay: its own answer, no region)", plain(answeredBy()));
    line(
        out,
        "  failovers: %d  (answered by a region other than %s after a failed attempt)",
        failovers(),
        preferred);

    section(out, "Circuit breakers");
    for (RegionInfo r : setup.regions()) {
      List<Change> changes = changesOf(breakers, r.name());
      line(out, "  %s: %d transition%s", r.name(), changes.size(), changes.size() == 1 ? "" : "s");
      for (Change c : changes.subList(0, Math.min(MAX_LISTED, changes.size()))) {
        line(out, "    at %6.2f s  %s -> %s", c.atMs() / 1000.0, c.from(), c.to());
      }
      if (changes.size() > MAX_LISTED) {
        line(out, "    and %d more", changes.size() - MAX_LISTED);
      }
    }
    for (RegionInfo r : setup.regions()) {
      line(out, "  %s health (probes): %s", r.name(), path(changesOf(states, r.name())));
    }

    section(out, "Degraded answers");
    line(
        out,
        "  degraded: %d%s  (x-relay-degraded)",
        degradedTotal(),
        degradedTotal() == 0 ? "" : " (" + times(degraded()) + ")");
    line(
        out,
        "  cache lookups: %s  (anthropic_cache_requests_total)",
        cacheLookups.isEmpty() ? "none" : times(cacheLookups));

    section(out, "Latency (ms, client side, successful answers)");
    line(out, "  %-20s %6s %8s %8s %8s %8s", "", "count", "p50", "p90", "p99", "max");
    latencyLine(out, "JSON answer", percentiles(nanos(false, Result::totalNanos)));
    latencyLine(out, "stream first byte", percentiles(nanos(true, Result::firstByteNanos)));
    latencyLine(out, "stream whole", percentiles(nanos(true, Result::totalNanos)));
    return out.toString();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Nearest-rank percentiles of a sample, in milliseconds. */
  record Percentiles(int count, double p50, double p90, double p99, double max) {
    JsonObject toJson() {
      return new JsonObject()
          .put("count", count)
          .put("p50", round(p50))
          .put("p90", round(p90))
          .put("p99", round(p99))
          .put("max", round(max));
    }

    private static double round(double ms) {
      return Math.round(ms * 10) / 10.0;
    }
  }

  static Percentiles percentiles(long[] nanos) {
    if (nanos.length == 0) {
      return new Percentiles(0, 0, 0, 0, 0);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double rank(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private long[] nanos(boolean streamed, ToLongFunction<Result> value) {
    return results.stream()
        .filter(r -> r.ok() && r.call().stream() == streamed)
        .mapToLong(value)
        .filter(n -> n >= 0)
        .toArray();
  }

  /** Counts of the non-null keys, most frequent first. */
  private Map<String, Long> count(Function<Result, String> key) {
    Map<String, Long> counts =
        results.stream()
            .map(key)
            .filter(k -> k != null)
            .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
    Map<String, Long> ordered = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  private static Map<String, Long> countersBy(MeterRegistry registry, String name, String tag) {
    Map<String, Long> counts = new TreeMap<>();
    for (Counter c : registry.find(name).counters()) {
      long n = Math.round(c.count());
      if (n > 0) {
        counts.merge(c.getId().getTag(tag), n, Long::sum);
      }
    }
    return counts;
  }

  private static List<Change> changesOf(List<Change> changes, String region) {
    return changes.stream().filter(c -> c.region().equals(region)).toList();
  }

  /** {@code UNKNOWN -> UP -> DEGRADED -> UP (3 changes)} from a run of changes. */
  private static String path(List<Change> changes) {
    if (changes.isEmpty()) {
      return "no change";
    }
    List<String> steps = new ArrayList<>();
    steps.add(String.valueOf(changes.get(0).from()));
    for (Change c : changes.subList(0, Math.min(MAX_LISTED, changes.size()))) {
      steps.add(c.to());
    }
    String more = changes.size() > MAX_LISTED ? " -> ..." : "";
    return String.join(" -> ", steps)
        + more
        + " ("
        + changes.size()
        + (changes.size() == 1 ? " change)" : " changes)");
  }

  /** Words of {@code text} in lines of at most {@code width} characters (longer words alone). */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    if (current.length() > 0) {
      lines.add(current.toString());
    }
    return lines;
  }

  private static String times(Map<String, Long> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " x" + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private static String plain(Map<String, Long> counts) {
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static JsonObject json(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    counts.forEach(json::put);
    return json;
  }

  private static void latencyLine(StringBuilder out, String label, Percentiles p) {
    if (p.count() == 0) {
      line(out, "  %-20s %6d %8s %8s %8s %8s", label, 0, "-", "-", "-", "-");
    } else {
      line(
          out,
          "  %-20s %6d %8.1f %8.1f %8.1f %8.1f",
          label,
          p.count(),
          p.p50(),
          p.p90(),
          p.p99(),
          p.max());
    }
  }

  private static void section(StringBuilder out, String title) {
    out.append('\n').append(title).append('\n');
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
  }
}
