package dev.clauderelay.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * The load generator of {@code bench/gateway.sh} (docs/benchmarks.md, "Gateway overhead"): the same
 * simulated upstream called directly, through a bare Vert.x proxy (the floor), and through the
 * gateway, each in its own JVM, in alternating rounds.
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / rate}, whatever happened to the
 * earlier ones, and its latency is counted from that due time, so a stall of the system under test
 * shows in the figures instead of silently delaying the schedule (coordinated omission). Service
 * time (from the moment the request was handed to the event loop) is reported beside it.
 *
 * <p>The processes under test are measured from {@code /proc}: CPU time ({@code utime + stime} of
 * {@code /proc/PID/stat}) before and after each round, and resident memory ({@code VmRSS} of {@code
 * /proc/PID/status}, sampled every 50 ms while that process is under load).
 *
 * <p>System properties: {@code bench.upstream}, {@code bench.simPid}; {@code bench.gateway}, {@code
 * bench.gatewayPid}, {@code bench.token}; optional {@code bench.bare}, {@code bench.barePid},
 * {@code bench.baseline}, {@code bench.baselinePid} (another build of the gateway, "gw before");
 * {@code bench.rate} (1000/s), {@code bench.rounds} (5), {@code bench.roundSeconds} (5), {@code
 * bench.warmupSeconds} (20), {@code bench.streamWarmupSeconds} (10) at {@code
 * bench.streamWarmupRate} (300/s), {@code bench.streamRate} (100/s), {@code bench.streamRounds}
 * (3), {@code bench.streamSeconds} (3), {@code bench.clkTck} (100).
 */
public final class GatewayBench {
  private static final int RATE = Integer.getInteger("bench.rate", 1000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int ROUND_SECONDS = Integer.getInteger("bench.roundSeconds", 5);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 20);
  private static final int STREAM_WARMUP_SECONDS =
      Integer.getInteger("bench.streamWarmupSeconds", 10);
  private static final int STREAM_WARMUP_RATE = Integer.getInteger("bench.streamWarmupRate", 300);
  private static final int STREAM_RATE = Integer.getInteger("bench.streamRate", 100);
  private static final int STREAM_ROUNDS = Integer.getInteger("bench.streamRounds", 3);
  private static final int STREAM_SECONDS = Integer.getInteger("bench.streamSeconds", 3);
  private static final int CLK_TCK = Integer.getInteger("bench.clkTck", 100);
  private static final int CONNECTIONS = Integer.getInteger("bench.connections", 64);

  private static final byte[] MESSAGE =
      ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":32,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"benchmark\"}]}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] STREAM =
      ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":16,\"stream\":true,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"benchmark\"}]}")
          .getBytes(StandardCharsets.UTF_8);

  /** One way of reaching the upstream; {@code pid} is the process in the middle, or -1. */
  private record Target(
      String name, String baseUrl, String apiKey, long pid, HttpClientAgent http) {
    RequestOptions post() {
      return new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setAbsoluteURI(baseUrl + "/v1/messages")
          .setIdleTimeout(10_000)
          .putHeader("x-api-key", apiKey)
          .putHeader("anthropic-version", "2023-06-01")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
  }

  /** Per-request outcomes of one round; written on the event loop, read after {@code left}. */
  private static final class Run {
    final long[] latency;
    final long[] service;
    final long[] firstByte;
    final boolean[] ok;

    /** Why a call failed: its status, or its exception. */
    final String[] why;

    final CountDownLatch left;

    Run(int n) {
      latency = new long[n];
      service = new long[n];
      firstByte = new long[n];
      ok = new boolean[n];
      why = new String[n];
      left = new CountDownLatch(n);
    }

    void done(int i, long due, long dispatched, boolean success) {
      long now = System.nanoTime();
      latency[i] = now - due;
      service[i] = now - dispatched;
      ok[i] = success;
      left.countDown();
    }

    void failed(int i, long due, long dispatched, String reason) {
      why[i] = reason;
      done(i, due, dispatched, false);
    }
  }

  /** What one round of one target measured. */
  private record Round(
      int requests,
      int errors,
      double seconds,
      long[] latency,
      long[] service,
      long[] firstByte,
      double cpuUsPerRequest,
      double jitUsPerRequest,
      double simCpuUsPerRequest,
      Map<Long, Double> cpuMsPerSecond) {
    double p(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }
  }

  private interface Call {
    void start(Target t, int i, long due, Run run);
  }

  private static final AtomicLong SAMPLED_PID = new AtomicLong(-1);

  /** Per target, per thread name: CPU ticks over its measured rounds (messages and streams). */
  private static final Map<String, Map<String, Long>> THREAD_TICKS = new LinkedHashMap<>();

  private static final Map<String, Long> REQUESTS = new LinkedHashMap<>();
  private static final Map<Long, AtomicLong> PEAK_RSS_KB = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    String upstream = System.getProperty("bench.upstream");
    long simPid = Long.getLong("bench.simPid", -1);
    String gateway = System.getProperty("bench.gateway");
    if (upstream == null || gateway == null) {
      throw new IllegalArgumentException(
          "run through bench/gateway.sh (needs -Dbench.upstream and -Dbench.gateway)");
    }
    Vertx vertx = Vertx.vertx();
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("direct", upstream, "bench-key", -1, client(vertx)));
    String bare = System.getProperty("bench.bare");
    if (bare != null && !bare.isEmpty()) {
      targets.add(
          new Target(
              "bare proxy", bare, "bench-key", Long.getLong("bench.barePid"), client(vertx)));
    }
    String baseline = System.getProperty("bench.baseline");
    if (baseline != null && !baseline.isEmpty()) {
      targets.add(
          new Target(
              "gw before",
              baseline,
              System.getProperty("bench.token", "bench-token"),
              Long.getLong("bench.baselinePid"),
              client(vertx)));
    }
    targets.add(
        new Target(
            "gateway",
            gateway,
            System.getProperty("bench.token", "bench-token"),
            Long.getLong("bench.gatewayPid"),
            client(vertx)));
    for (Target t : targets) {
      if (t.pid() > 0) {
        PEAK_RSS_KB.put(t.pid(), new AtomicLong());
      }
    }
    Thread sampler = new Thread(GatewayBench::sampleRss, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
    // One event-loop context sends everything, as one Vert.x client would.
    Context ctx = vertx.getOrCreateContext();

    System.out.printf(
        Locale.ROOT,
        "warm-up per target: %d s at %d req/s, then %d s of streams at %d/s; load %s%n",
        WARMUP_SECONDS,
        RATE,
        STREAM_WARMUP_SECONDS,
        STREAM_WARMUP_RATE,
        loadAverage());
    for (Target t : targets) {
      openLoop(ctx, t, GatewayBench::message, RATE, WARMUP_SECONDS * RATE);
      openLoop(
          ctx,
          t,
          GatewayBench::stream,
          STREAM_WARMUP_RATE,
          STREAM_WARMUP_SECONDS * STREAM_WARMUP_RATE);
    }

    System.out.printf(
        Locale.ROOT,
        "%nmessages: open loop %d req/s, %d rounds x %d s per target, alternating%n",
        RATE,
        ROUNDS,
        ROUND_SECONDS);
    Map<String, List<Round>> messages =
        rounds(ctx, targets, GatewayBench::message, RATE, ROUNDS, ROUND_SECONDS, simPid, true);
    Map<Long, Long> hwm = new LinkedHashMap<>();
    for (Long pid : PEAK_RSS_KB.keySet()) {
      hwm.put(pid, status(pid, "VmHWM"));
    }
    String loadAfterMessages = loadAverage();

    System.out.printf(
        Locale.ROOT,
        "%nstreams: open loop %d streams/s, %d rounds x %d s per target, alternating%n",
        STREAM_RATE,
        STREAM_ROUNDS,
        STREAM_SECONDS);
    Map<String, List<Round>> streams =
        rounds(
            ctx,
            targets,
            GatewayBench::stream,
            STREAM_RATE,
            STREAM_ROUNDS,
            STREAM_SECONDS,
            simPid,
            false);

    summary(targets, messages, streams, hwm, loadAfterMessages);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpClientAgent client(Vertx vertx) {
    return vertx.createHttpClient(
        // Idle connections are dropped before the gateway's idle limit (60 s) closes them: a
        // request
        // sent on a connection the server is closing fails, whoever is the server.
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS));
  }

  private static Map<String, List<Round>> rounds(
      Context ctx,
      List<Target> targets,
      Call call,
      int rate,
      int rounds,
      int seconds,
      long simPid,
      boolean sampleRss)
      throws Exception {
    Map<String, List<Round>> out = new LinkedHashMap<>();
    targets.forEach(t -> out.put(t.name(), new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < targets.size(); k++) {
        // Rotate who goes first, so that drift on a shared machine hits every target alike.
        Target t = targets.get((r + k) % targets.size());
        Map<Long, Long> cpu0 = cpuTicksOfAll(targets, simPid);
        Map<String, Long> threads0 = t.pid() > 0 ? threadTicks(t.pid()) : Map.of();
        if (sampleRss) {
          SAMPLED_PID.set(t.pid());
        }
        long t0 = System.nanoTime();
        Run run = openLoop(ctx, t, call, rate, rate * seconds);
        double wall = (System.nanoTime() - t0) / 1e9;
        SAMPLED_PID.set(-1);
        Map<Long, Long> cpu1 = cpuTicksOfAll(targets, simPid);
        Map<String, Long> threads = new LinkedHashMap<>();
        if (t.pid() > 0) {
          threadTicks(t.pid())
              .forEach((name, ticks) -> threads.put(name, ticks - threads0.getOrDefault(name, 0L)));
          String key = t.name() + (sampleRss ? ", messages" : ", streams");
          Map<String, Long> byThread =
              THREAD_TICKS.computeIfAbsent(key, x -> new LinkedHashMap<>());
          threads.forEach((name, ticks) -> byThread.merge(name, ticks, Long::sum));
          REQUESTS.merge(key, (long) rate * seconds, Long::sum);
        }
        long jitTicks =
            threads.entrySet().stream()
                .filter(e -> e.getKey().contains("Compiler") && !e.getKey().endsWith(SYS))
                .mapToLong(Map.Entry::getValue)
                .sum();
        Round round =
            round(run, t.pid(), simPid, cpu0, cpu1, wall, ticksToUs(jitTicks) / (rate * seconds));
        out.get(t.name()).add(round);
        System.out.printf(
            Locale.ROOT,
            "  round %d %-10s p50 %7.1f us  p99 %8.1f us  max %7.1f ms  errors %d"
                + "  cpu/req %s  sim cpu/req %.0f us%s%n",
            r + 1,
            t.name(),
            round.p(round.latency(), 0.50),
            round.p(round.latency(), 0.99),
            round.p(round.latency(), 1.0) / 1e3,
            round.errors(),
            t.pid() > 0
                ? String.format(
                    Locale.ROOT,
                    "%.0f us (JIT %.0f)",
                    round.cpuUsPerRequest(),
                    round.jitUsPerRequest())
                : "-",
            round.simCpuUsPerRequest(),
            sampleRss
                ? ""
                : String.format(
                    Locale.ROOT, "  ttfb p50 %.1f us", round.p(round.firstByte(), 0.50)));
        Arrays.stream(run.why)
            .filter(w -> w != null)
            .map(w -> w.length() > 160 ? w.substring(0, 160) + "…" : w)
            .collect(
                java.util.stream.Collectors.groupingBy(
                    w -> w, java.util.stream.Collectors.counting()))
            .forEach((w, n) -> System.out.printf(Locale.ROOT, "    %d x %s%n", n, w));
      }
    }
    return out;
  }

  private static Round round(
      Run run,
      long pid,
      long simPid,
      Map<Long, Long> cpu0,
      Map<Long, Long> cpu1,
      double wall,
      double jitUs) {
    int n = run.ok.length;
    int errors = 0;
    List<Long> lat = new ArrayList<>(n);
    List<Long> svc = new ArrayList<>(n);
    List<Long> fb = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!run.ok[i]) {
        errors++;
        continue;
      }
      lat.add(run.latency[i]);
      svc.add(run.service[i]);
      if (run.firstByte[i] > 0) {
        fb.add(run.firstByte[i]);
      }
    }
    Map<Long, Double> perSecond = new LinkedHashMap<>();
    cpu0.forEach((p, ticks) -> perSecond.put(p, (cpu1.get(p) - ticks) * 1000.0 / CLK_TCK / wall));
    double cpuUs = pid > 0 ? ticksToUs(cpu1.get(pid) - cpu0.get(pid)) / n : Double.NaN;
    double simUs = simPid > 0 ? ticksToUs(cpu1.get(simPid) - cpu0.get(simPid)) / n : Double.NaN;
    return new Round(
        n, errors, wall, sorted(lat), sorted(svc), sorted(fb), cpuUs, jitUs, simUs, perSecond);
  }

  private static long[] sorted(List<Long> values) {
    long[] a = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a;
  }

  private static double ticksToUs(long ticks) {
    return ticks * 1e6 / CLK_TCK;
  }

  /** Sends {@code n} calls due {@code 1/rate} apart from now on, and waits for all of them. */
  private static Run openLoop(Context ctx, Target t, Call call, int rate, int n)
      throws InterruptedException {
    Run run = new Run(n);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait;
      // Parking, not spinning: this machine's cores are shared with the processes under test.
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int index = i;
      ctx.runOnContext(v -> call.start(t, index, due, run));
    }
    if (!run.left.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(t.name() + ": calls still open 60 s after the last was sent");
    }
    return run;
  }

  private static void message(Target t, int i, long due, Run run) {
    long dispatched = System.nanoTime();
    t.http()
        .request(t.post())
        .compose(req -> req.send(Buffer.buffer(MESSAGE)))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b ->
                            resp.statusCode() == 200 && b.length() > 0
                                ? null
                                : "status " + resp.statusCode() + " " + b))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                run.failed(i, due, dispatched, String.valueOf(ar.cause()));
              } else if (ar.result() != null) {
                run.failed(i, due, dispatched, ar.result());
              } else {
                run.done(i, due, dispatched, true);
              }
            });
  }

  private static void stream(Target t, int i, long due, Run run) {
    long dispatched = System.nanoTime();
    boolean[] finished = {false};
    t.http()
        .request(t.post())
        .compose(req -> req.send(Buffer.buffer(STREAM)))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                run.failed(i, due, dispatched, String.valueOf(ar.cause()));
                return;
              }
              HttpClientResponse resp = ar.result();
              Buffer body = Buffer.buffer();
              resp.handler(
                  chunk -> {
                    if (run.firstByte[i] == 0) {
                      run.firstByte[i] = System.nanoTime() - due;
                    }
                    body.appendBuffer(chunk);
                  });
              resp.exceptionHandler(
                  e -> {
                    if (!finished[0]) {
                      finished[0] = true;
                      run.failed(i, due, dispatched, String.valueOf(e));
                    }
                  });
              resp.endHandler(
                  v -> {
                    if (!finished[0]) {
                      finished[0] = true;
                      if (resp.statusCode() == 200 && body.toString().contains("message_stop")) {
                        run.done(i, due, dispatched, true);
                      } else {
                        run.failed(i, due, dispatched, "status " + resp.statusCode() + " " + body);
                      }
                    }
                  });
            });
  }

  // ---- summary ----------------------------------------------------------------------------------

  private static void summary(
      List<Target> targets,
      Map<String, List<Round>> messages,
      Map<String, List<Round>> streams,
      Map<Long, Long> hwm,
      String loadAfterMessages) {
    System.out.printf(
        Locale.ROOT,
        "%n== messages at %d req/s (medians over %d rounds of %d s; latency from each request's"
            + " due time) ==%n",
        RATE,
        ROUNDS,
        ROUND_SECONDS);
    System.out.println(
        "| target | p50 | p99 | p99.9 | max | service p50 | errors | CPU / request (of which"
            + " JIT compiler) | upstream CPU / request | peak RSS under load (VmHWM) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Target t : targets) {
      List<Round> rs = messages.get(t.name());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f µs | %.0f µs | %.2f ms | %.1f ms | %.0f µs | %d / %d | %s | %.0f µs | %s |%n",
          t.name(),
          median(rs, r -> r.p(r.latency(), 0.50)),
          median(rs, r -> r.p(r.latency(), 0.99)),
          median(rs, r -> r.p(r.latency(), 0.999)) / 1e3,
          rs.stream().mapToDouble(r -> r.p(r.latency(), 1.0)).max().orElse(Double.NaN) / 1e3,
          median(rs, r -> r.p(r.service(), 0.50)),
          rs.stream().mapToInt(Round::errors).sum(),
          rs.stream().mapToInt(Round::requests).sum(),
          t.pid() > 0
              ? String.format(
                  Locale.ROOT,
                  "%.0f µs (%.0f µs)",
                  median(rs, Round::cpuUsPerRequest),
                  median(rs, Round::jitUsPerRequest))
              : "–",
          median(rs, Round::simCpuUsPerRequest),
          t.pid() > 0
              ? String.format(
                  Locale.ROOT,
                  "%d MB (%d MB)",
                  PEAK_RSS_KB.get(t.pid()).get() / 1024,
                  hwm.get(t.pid()) / 1024)
              : "–");
    }
    for (Target t : targets) {
      if (t.pid() <= 0) {
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "%s: added over direct, paired by round: p50 %s, p99 %s; idle CPU while the others"
              + " ran: %.1f ms/s%n",
          t.name(),
          added(messages, t.name(), r -> r.p(r.latency(), 0.50)),
          added(messages, t.name(), r -> r.p(r.latency(), 0.99)),
          median(messages.get("direct"), r -> r.cpuMsPerSecond().get(t.pid())));
    }
    System.out.println("load average after the message rounds: " + loadAfterMessages);

    System.out.printf(
        Locale.ROOT,
        "%n== streams at %d/s (time to the first body byte from each stream's due time;"
            + " medians over %d rounds of %d s) ==%n",
        STREAM_RATE,
        STREAM_ROUNDS,
        STREAM_SECONDS);
    System.out.println("| target | TTFB p50 | TTFB p99 | whole stream p50 | errors |");
    System.out.println("|---|---|---|---|---|");
    for (Target t : targets) {
      List<Round> rs = streams.get(t.name());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f µs | %.0f µs | %.0f µs | %d / %d |%n",
          t.name(),
          median(rs, r -> r.p(r.firstByte(), 0.50)),
          median(rs, r -> r.p(r.firstByte(), 0.99)),
          median(rs, r -> r.p(r.latency(), 0.50)),
          rs.stream().mapToInt(Round::errors).sum(),
          rs.stream().mapToInt(Round::requests).sum());
    }
    for (Target t : targets) {
      if (t.pid() > 0) {
        System.out.printf(
            Locale.ROOT,
            "%s: TTFB added over direct, paired by round: p50 %s, p99 %s%n",
            t.name(),
            added(streams, t.name(), r -> r.p(r.firstByte(), 0.50)),
            added(streams, t.name(), r -> r.p(r.firstByte(), 0.99)));
      }
    }
    System.out.println("load average at the end: " + loadAverage());
    THREAD_TICKS.forEach(
        (target, byThread) -> {
          long n = REQUESTS.get(target);
          StringBuilder line =
              new StringBuilder(target + ": CPU per request by thread (system time), all rounds:");
          byThread.entrySet().stream()
              .filter(e -> e.getValue() > 0 && !e.getKey().endsWith(SYS))
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .forEach(
                  e ->
                      line.append(
                          String.format(
                              Locale.ROOT,
                              " %s %.0f µs (%.0f);",
                              e.getKey(),
                              ticksToUs(e.getValue()) / n,
                              ticksToUs(byThread.getOrDefault(e.getKey() + SYS, 0L)) / n)));
          System.out.println(line);
        });
  }

  /** Median and range of {@code target}'s figure minus direct's in the same round, µs. */
  private static String added(
      Map<String, List<Round>> rounds, String target, ToDoubleFunction<Round> figure) {
    List<Round> direct = rounds.get("direct");
    List<Round> other = rounds.get(target);
    double[] d = new double[direct.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = figure.applyAsDouble(other.get(i)) - figure.applyAsDouble(direct.get(i));
    }
    Arrays.sort(d);
    return String.format(
        Locale.ROOT, "%+.0f µs [%+.0f .. %+.0f]", d[d.length / 2], d[0], d[d.length - 1]);
  }

  private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
    double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  // ---- /proc ------------------------------------------------------------------------------------

  private static Map<Long, Long> cpuTicksOfAll(List<Target> targets, long simPid) {
    Map<Long, Long> out = new LinkedHashMap<>();
    for (Target t : targets) {
      if (t.pid() > 0) {
        out.put(t.pid(), cpuTicks(t.pid()));
      }
    }
    if (simPid > 0) {
      out.put(simPid, cpuTicks(simPid));
    }
    return out;
  }

  /** {@code utime + stime} of {@code /proc/PID/stat}, clock ticks. */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after "pid (comm) ", which may hold spaces: state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e, e);
    }
  }

  /**
   * CPU ticks of each thread of {@code pid} by name, digits folded ({@code vert.x-eventloo#}):
   * threads come and go, names stay. Threads that ended between two reads are not counted.
   */
  /** Suffix of a thread's system-time entry in {@link #threadTicks}. */
  private static final String SYS = " [sys]";

  static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name =
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                  .replaceAll("[0-9]+", "#");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
          out.merge(name + SYS, Long.parseLong(f[12]), Long::sum);
        } catch (IOException ended) {
          // The thread ended while listed.
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** A {@code kB} figure of {@code /proc/PID/status} ({@code VmRSS}, {@code VmHWM}), or -1. */
  static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static void sampleRss() {
    while (true) {
      long pid = SAMPLED_PID.get();
      if (pid > 0) {
        long kb = status(pid, "VmRSS");
        PEAK_RSS_KB.get(pid).accumulateAndGet(kb, Math::max);
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
