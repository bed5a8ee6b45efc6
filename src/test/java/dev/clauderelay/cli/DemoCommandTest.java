package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.BlockedThreadWatch;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code claude-relay demo} run in-process through {@link Main}: it exits 0, answers every request,
 * prints figures that add up, shows the flaky region's retries or failovers, finishes in bounded
 * time and never blocks an event loop. Timing varies from run to run (the flaky dice follow the
 * order requests reach the simulator), so the checks are on sums and signs, not exact counts.
 */
class DemoCommandTest {
  /**
   * Longest event-loop turn tolerated, milliseconds. Above the 200 ms of the other tests: the demo
   * runs three Vert.x instances and a cold JIT in one JVM, and on a loaded 2-core machine a loop
   * descheduled for 250 ms was reported while it ran plain pipeline code. Real blocking (a sleep, a
   * wait on a future, blocking I/O on a loop) still shows: it lasts longer or never ends.
   */
  private static final long WATCH_MS = 500;

  /** Generous: the demo takes a few seconds on an idle machine, CI machines are shared. */
  private static final long MAX_MILLIS = 120_000;

  private record Run(int code, String out, String err, long millis) {}

  private static Run demo(String... args) {
    CommandLine main = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    main.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    ((DemoCommand) main.getSubcommands().get("demo").getCommand()).vertxOptions(watched());
    String[] full = new String[args.length + 1];
    full[0] = "demo";
    System.arraycopy(args, 0, full, 1, args.length);
    long start = System.nanoTime();
    int code = main.execute(full);
    return new Run(
        code,
        out.toString(),
        err.toString(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** The blocked-thread settings of {@link BlockedThreadWatch}, for the demo's own instances. */
  private static VertxOptions watched() {
    return new VertxOptions()
        .setMaxEventLoopExecuteTime(WATCH_MS)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(WATCH_MS / 4)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(WATCH_MS)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
  }

  @Test
  void theReadmeCommandPrintsASummaryThatAddsUp() {
    Run run;
    try (BlockedThreadWatch watch = new BlockedThreadWatch(WATCH_MS)) {
      run = demo();
      assertEquals(List.of(), watch.warnings(), "an event loop was blocked");
    }
    String out = run.out();
    assertEquals(0, run.code(), run.err() + out);
    assertTrue(run.millis() < MAX_MILLIS, "took " + run.millis() + " ms");
    for (String section :
        List.of(
            "Requests",
            "Upstream attempts",
            "Failover",
            "Circuit breakers",
            "Degraded answers",
            "Latency")) {
      assertTrue(out.contains("\n" + section), section + " missing:\n" + out);
    }

    Matcher requests =
        find(out, "requests: (\\d+)  ok: (\\d+)  failed: (\\d+)  unanswered: (\\d+)");
    long total = num(requests, 1);
    long ok = num(requests, 2);
    long failed = num(requests, 3);
    assertEquals(200, total, "the default --requests");
    assertEquals(0, num(requests, 4), "every request was answered:\n" + out);
    assertEquals(total, ok + failed);
    assertEquals(ok + failed, sumOfCounts(find(out, "by status: (.*)").group(1)), out);
    assertFalse(out.contains("no answer"), out);

    Matcher attempts = find(out, "attempts: (\\d+)  retries: (\\d+)");
    long retries = num(attempts, 2);
    long failovers = num(find(out, "failovers: (\\d+)"), 1);
    assertTrue(retries + failovers > 0, "the flaky region caused retries or failovers:\n" + out);
    assertTrue(num(attempts, 1) >= retries);
    assertTrue(failovers <= ok);

    Matcher answeredBy = find(out, "answered by: primary (\\d+), backup (\\d+)(?:, relay (\\d+))?");
    long relay = answeredBy.group(3) == null ? 0 : Long.parseLong(answeredBy.group(3));
    assertEquals(ok, num(answeredBy, 1) + num(answeredBy, 2) + relay, out);

    Matcher degraded = find(out, "degraded: (\\d+)(?: \\((.*)\\))?  \\(x-relay-degraded\\)");
    long degradedTotal = num(degraded, 1);
    assertEquals(
        degradedTotal, degraded.group(2) == null ? 0 : sumOfCounts(degraded.group(2)), out);
    assertTrue(degradedTotal > 0, "repeated temperature-0 requests came from the cache:\n" + out);

    long jsonCount = num(find(out, "JSON answer +(\\d+)"), 1);
    long streamCount = num(find(out, "stream whole +(\\d+)"), 1);
    assertEquals(ok, jsonCount + streamCount, "latency covers every successful answer");
    assertEquals(streamCount, num(find(out, "stream first byte +(\\d+)"), 1));

    assertFalse(out.contains("demo-primary-key") || out.contains("demo-backup-key"), "a key");
  }

  @Test
  void jsonOutputAddsUpToo() {
    Run run;
    try (BlockedThreadWatch watch = new BlockedThreadWatch(WATCH_MS)) {
      run =
          demo(
              "--json",
              "--requests",
              "60",
              "--concurrency",
              "4",
              "--spread-ms",
              "300",
              "--seed",
              "11");
      assertEquals(List.of(), watch.warnings(), "an event loop was blocked");
    }
    assertEquals(0, run.code(), run.err() + run.out());
    JsonObject report = new JsonObject(run.out());
    JsonObject requests = report.getJsonObject("requests");
    assertEquals(60, requests.getInteger("total"));
    assertEquals(0, requests.getInteger("unanswered"), run.out());
    long ok = requests.getLong("ok");
    assertEquals(60, ok + requests.getLong("failed"));
    assertEquals(60, sum(requests.getJsonObject("byStatus")));

    JsonObject attempts = report.getJsonObject("attempts");
    long failovers = report.getJsonObject("failover").getLong("failovers");
    assertTrue(attempts.getLong("retries") + failovers > 0, run.out());
    assertEquals(ok, sum(report.getJsonObject("failover").getJsonObject("answeredBy")));

    JsonObject degraded = report.getJsonObject("degraded");
    assertEquals(degraded.getLong("total"), sum(degraded.getJsonObject("byLevel")));

    JsonObject latency = report.getJsonObject("latencyMs");
    assertEquals(
        ok,
        latency.getJsonObject("json").getLong("count")
            + latency.getJsonObject("streamWhole").getLong("count"));
    JsonObject primary = report.getJsonObject("regions").getJsonObject(DemoCommand.PRIMARY);
    assertTrue(primary.getBoolean("preferred"));
    assertTrue(primary.getString("baseUrl").startsWith("http://127.0.0.1:"));
  }

  @Test
  void outOfRangeOptionsAreUsageErrors() {
    Run run = demo("--requests", "0");

    assertEquals(2, run.code());
    assertTrue(run.err().contains("--requests"), run.err());
  }

  @Test
  void demoIsRegisteredWithMain() {
    assertTrue(Main.commandLine().getSubcommands().containsKey("demo"));
  }

  private static Matcher find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no line matching " + regex + " in:\n" + text);
    return m;
  }

  private static long num(Matcher m, int group) {
    return Long.parseLong(m.group(group));
  }

  /** The sum of "label xN" items, e.g. {@code 200 x198, 529 x2}. */
  private static long sumOfCounts(String items) {
    Matcher m = Pattern.compile(" x(\\d+)").matcher(items);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  private static long sum(JsonObject counts) {
    return counts.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }
}
