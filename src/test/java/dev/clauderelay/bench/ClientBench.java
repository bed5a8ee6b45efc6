package dev.clauderelay.bench;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Client round trip and CPU per call against the simulator in a separate JVM, compared in the same
 * run with a bare Vert.x HttpClient doing the same request; then 1,000 calls in flight on the
 * default event loops. Run: {@code bench/client.sh} (see docs/benchmarks.md).
 */
public final class ClientBench {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int CALLS_PER_ROUND = Integer.getInteger("bench.calls", 2000);
  private static final int IN_FLIGHT = Integer.getInteger("bench.inflight", 1000);

  public static void main(String[] args) throws Exception {
    int port = freePort();
    Process sim = startSimulator(port, 0);
    int slowPort = freePort();
    Process slowSim = startSimulator(slowPort, 500);
    try {
      waitForPort(port);
      waitForPort(slowPort);
      run("http://127.0.0.1:" + port, "http://127.0.0.1:" + slowPort);
    } finally {
      sim.destroy();
      slowSim.destroy();
      sim.waitFor(5, TimeUnit.SECONDS);
      slowSim.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void run(String baseUrl, String slowUrl) throws Exception {
    Vertx vertx = Vertx.vertx();
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(baseUrl)
                .setApiKey("bench-key")
                .setMaxRetries(0)
                .setMaxConnections(1));
    HttpClientAgent bare = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(1));
    JsonObject request =
        new JsonObject()
            .put("model", "claude-sonnet-4-6")
            .put("max_tokens", 32)
            .put(
                "messages",
                new JsonArray()
                    .add(new JsonObject().put("role", "user").put("content", "benchmark")));

    // Both sides start each call on one event-loop context, as a Vert.x application would.
    // (Calling the bare HttpClient from the main thread races its body handler against the
    // response: Vert.x may deliver the body before a late handler is set.)
    Context loop = vertx.getOrCreateContext();
    Supplier<Future<?>> relayCall = () -> onLoop(loop, () -> client.messages(request));
    Supplier<Future<?>> bareCall = () -> onLoop(loop, () -> bareRequest(bare, baseUrl, request));

    System.out.printf(Locale.ROOT, "warm-up: %d calls each%n", CALLS_PER_ROUND * 2);
    sequential(relayCall, CALLS_PER_ROUND * 2);
    sequential(bareCall, CALLS_PER_ROUND * 2);

    List<double[]> relayRounds = new ArrayList<>();
    List<double[]> bareRounds = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Alternate so drift on a shared machine hits both sides alike.
      relayRounds.add(sequential(relayCall, CALLS_PER_ROUND));
      bareRounds.add(sequential(bareCall, CALLS_PER_ROUND));
    }
    double relayP50 = median(relayRounds, 0);
    double bareP50 = median(bareRounds, 0);
    double relayCpu = median(relayRounds, 2);
    double bareCpu = median(bareRounds, 2);
    System.out.printf(
        Locale.ROOT,
        "round trip, sequential, %d rounds x %d calls (medians of round medians):%n",
        ROUNDS,
        CALLS_PER_ROUND);
    System.out.printf(
        Locale.ROOT,
        "  relay  p50 %.1f us  p99 %.1f us  cpu/call %.1f us%n",
        relayP50,
        median(relayRounds, 1),
        relayCpu);
    System.out.printf(
        Locale.ROOT,
        "  bare   p50 %.1f us  p99 %.1f us  cpu/call %.1f us%n",
        bareP50,
        median(bareRounds, 1),
        bareCpu);
    System.out.printf(
        Locale.ROOT,
        "  ratio relay/bare: p50 %.2f  cpu %.2f  (overhead p50 %.1f us, cpu %.1f us)%n",
        relayP50 / bareP50,
        relayCpu / bareCpu,
        relayP50 - bareP50,
        relayCpu - bareCpu);

    inFlight(vertx, slowUrl, request);
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Future<JsonObject> bareRequest(
      HttpClientAgent bare, String baseUrl, JsonObject request) {
    return bare.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUrl + "/v1/messages")
                .putHeader("x-api-key", "bench-key")
                .putHeader("anthropic-version", "2023-06-01")
                .putHeader("content-type", "application/json"))
        .compose(r -> r.send(request.toBuffer()))
        .compose(
            r ->
                r.body()
                    .compose(
                        b ->
                            r.statusCode() == 200
                                ? Future.succeededFuture(b.toJsonObject())
                                : Future.failedFuture(
                                    "bare call got " + r.statusCode() + ": " + b)));
  }

  private static Future<Object> onLoop(Context loop, Supplier<Future<?>> call) {
    Promise<Object> done = Promise.promise();
    loop.runOnContext(v -> call.get().onComplete(ar -> done.handle(ar.map(x -> (Object) x))));
    return done.future();
  }

  /** Returns {p50 us, p99 us, cpu us per call} of {@code n} calls made one after the other. */
  private static double[] sequential(Supplier<Future<?>> call, int n) throws Exception {
    long[] nanos = new long[n];
    long cpu0 = processCpuNanos();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      nanos[i] = System.nanoTime() - t0;
    }
    long cpu = processCpuNanos() - cpu0;
    Arrays.sort(nanos);
    return new double[] {nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3, cpu / 1e3 / n};
  }

  /**
   * {@code IN_FLIGHT} calls at once against a simulator that holds each for 500 ms: all must be in
   * flight together (wall time near 500 ms), on the default event loops, with no new threads.
   */
  private static void inFlight(Vertx vertx, String slowUrl, JsonObject request) throws Exception {
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(slowUrl)
                .setApiKey("bench-key")
                .setMaxRetries(0)
                .setMaxConnections(IN_FLIGHT));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // One warm-up wave opens the connections; the measured wave reuses them.
    wave(client, request);
    int before = threads.getThreadCount();
    threads.resetPeakThreadCount();
    long used0 = usedHeap();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    int ok = wave(client, request);
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    long cpuMs = (processCpuNanos() - cpu0) / 1_000_000;
    long eventLoopThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vert.x-eventloop-thread-"))
            .count();
    System.out.printf(
        Locale.ROOT,
        "%d calls in flight (upstream holds each 500 ms): %d ok, wall %d ms, cpu %d ms,"
            + " threads before %d / peak %d, event-loop threads %d (default %d), heap delta %d MB%n",
        IN_FLIGHT,
        ok,
        wallMs,
        cpuMs,
        before,
        threads.getPeakThreadCount(),
        eventLoopThreads,
        2 * Runtime.getRuntime().availableProcessors(),
        (usedHeap() - used0) / (1024 * 1024));
    client.close();
  }

  private static int wave(ClaudeClient client, JsonObject request) throws Exception {
    List<Future<?>> calls = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(client.messages(request));
    }
    Future.join(calls).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return (int) calls.stream().filter(Future::succeeded).count();
  }

  private static double median(List<double[]> rounds, int column) {
    double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static Process startSimulator(int port, long latencyMs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.clauderelay.cli.Main",
            "simulate",
            "--port",
            String.valueOf(port),
            "--profile",
            "healthy",
            "--latency-ms",
            String.valueOf(latencyMs))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Bounded: 200 tries, 50 ms apart, on this (non-event-loop) main thread. */
  private static void waitForPort(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (s.isConnected()) {
          return;
        }
      } catch (java.io.IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    throw new IllegalStateException("simulator did not start on port " + port);
  }
}
