package dev.clauderelay.bench;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.MessageStream;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * 1,000 streams at once in one JVM, on the default event loops, against the simulator in a separate
 * JVM (so that the heap and threads measured are the client's alone). Each round starts the streams
 * on one context per default event loop (a launcher verticle per loop: in Vert.x 5, contexts
 * created from the main thread all share one loop) and waits for all final messages; reported per
 * round: wall time, streams complete, the most streams open at the same moment, heap (after GC
 * before the round, peak sampled during it), threads (before, peak). Medians over rounds. Run:
 * {@code bench/streams.sh} (see docs/benchmarks.md).
 */
public final class StreamsBench {
  private static final int STREAMS = Integer.getInteger("bench.streams", 1000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int TOKENS = Integer.getInteger("bench.tokens", 100);
  private static final long DELTA_DELAY_MS = Long.getLong("bench.deltaDelayMs", 10);

  public static void main(String[] args) throws Exception {
    int port = freePort();
    Process sim = startSimulator(port);
    try {
      waitForPort(port);
      run("http://127.0.0.1:" + port);
    } finally {
      sim.destroy();
      sim.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void run(String baseUrl) throws Exception {
    Vertx vertx = Vertx.vertx();
    ClaudeClient client =
        ClaudeClient.create(
            vertx,
            new ClaudeClientOptions()
                .setBaseUrl(baseUrl)
                .setApiKey("bench-key")
                .setMaxRetries(0)
                .setMaxConnections(STREAMS)
                .setMaxWaitQueue(STREAMS));
    System.out.printf(
        Locale.ROOT,
        "%d streams at once, %d rounds; each answer %d tokens, %d ms between deltas%n",
        STREAMS,
        ROUNDS,
        TOKENS,
        DELTA_DELAY_MS);
    HttpClientAgent bare =
        vertx.createHttpClient(
            new PoolOptions().setHttp1MaxSize(STREAMS).setMaxWaitQueueSize(STREAMS));
    List<Context> loops = launchers(vertx);
    Starter relayStream = (i, counters) -> relayStream(client, i, counters);
    Starter bareStream = (i, counters) -> bareStream(bare, baseUrl, i, counters);
    System.out.println("warm-up relay: " + round(relayStream, loops));
    System.out.println("warm-up bare:  " + round(bareStream, loops));
    List<Round> rounds = new ArrayList<>();
    List<Round> bareRounds = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      // Alternate so drift on a shared machine hits both sides alike.
      Round r = round(relayStream, loops);
      rounds.add(r);
      System.out.println("round " + (i + 1) + " relay: " + r);
      Round b = round(bareStream, loops);
      bareRounds.add(b);
      System.out.println("round " + (i + 1) + " bare:  " + b);
    }
    long eventLoops =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vert.x-eventloop-thread-"))
            .count();
    System.out.printf(
        Locale.ROOT,
        "median: wall %d ms, complete %d/%d, open at once %d, heap before %d MB, live with"
            + " streams open %d MB (+%.1f KB per stream), peak %d MB, threads before %d, peak %d;"
            + " event-loop threads %d (default pool %d)%n",
        median(rounds, r -> r.wallMs),
        median(rounds, r -> r.complete),
        STREAMS,
        median(rounds, r -> r.maxOpen),
        median(rounds, r -> r.heapBefore) >> 20,
        median(measured(rounds), r -> r.heapLive) >> 20,
        median(measured(rounds), r -> r.heapLive - r.heapBefore) / 1024.0 / STREAMS,
        median(rounds, r -> r.heapPeak) >> 20,
        median(rounds, r -> r.threadsBefore),
        median(rounds, r -> r.threadsPeak),
        eventLoops,
        VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    System.out.printf(
        Locale.ROOT,
        "bare Vert.x HttpClient reading the same streams: median wall %d ms, complete %d/%d,"
            + " live with streams open %d MB; relay/bare wall %.2f%n",
        median(bareRounds, r -> r.wallMs),
        median(bareRounds, r -> r.complete),
        STREAMS,
        median(measured(bareRounds), r -> r.heapLive) >> 20,
        (double) median(rounds, r -> r.wallMs) / median(bareRounds, r -> r.wallMs));
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One wave of concurrent streams. */
  private record Round(
      long wallMs,
      long complete,
      long maxOpen,
      long events,
      long heapBefore,
      long heapLive,
      long heapPeak,
      long threadsBefore,
      long threadsPeak) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "wall %d ms, complete %d, open at once %d, events %d, heap %d MB -> %d MB live with"
              + " streams open (peak %d MB incl. garbage), threads %d -> peak %d",
          wallMs,
          complete,
          maxOpen,
          events,
          heapBefore >> 20,
          heapLive >> 20,
          heapPeak >> 20,
          threadsBefore,
          threadsPeak);
    }
  }

  /** One context per default event loop, from launcher verticles (round-robin over the loops). */
  private static List<Context> launchers(Vertx vertx) throws Exception {
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    contexts.add(context);
                    return Future.succeededFuture();
                  }
                },
            new DeploymentOptions().setInstances(loops))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return contexts;
  }

  /** Live counts of one round, updated from every loop. */
  private record Counters(AtomicInteger open, AtomicInteger maxOpen, AtomicLong events) {
    void opened() {
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }
  }

  /** Starts stream {@code i} on the calling loop; the future ends with it. */
  private interface Starter {
    Future<?> start(int i, Counters counters);
  }

  private static Round round(Starter starter, List<Context> loops) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    int threadsBefore = threads.getThreadCount();
    threads.resetPeakThreadCount();
    AtomicLong heapPeak = new AtomicLong(heapBefore);
    AtomicLong heapLive = new AtomicLong(-1);
    Counters counters = new Counters(new AtomicInteger(), new AtomicInteger(), new AtomicLong());
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                if (heapLive.get() < 0 && counters.open().get() >= STREAMS * 9 / 10) {
                  // What the open streams really hold: the heap after a GC while they are open.
                  System.gc();
                  heapLive.set(memory.getHeapMemoryUsage().getUsed());
                }
                try {
                  TimeUnit.MILLISECONDS.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();

    List<Future<?>> done = new CopyOnWriteArrayList<>();
    List<Promise<Void>> launched = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int l = 0; l < loops.size(); l++) {
      int first = l;
      Promise<Void> started = Promise.promise();
      launched.add(started);
      loops
          .get(l)
          .runOnContext(
              v -> {
                for (int i = first; i < STREAMS; i += loops.size()) {
                  done.add(starter.start(i, counters));
                }
                started.complete();
              });
    }
    Future.all(new ArrayList<>(launched.stream().map(Promise::future).toList()))
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    Future.join(new ArrayList<>(done))
        .toCompletionStage()
        .toCompletableFuture()
        .get(300, TimeUnit.SECONDS);
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    sampler.interrupt();
    sampler.join();
    long complete = done.stream().filter(Future::succeeded).count();
    return new Round(
        wallMs,
        complete,
        counters.maxOpen().get(),
        counters.events().get(),
        heapBefore,
        heapLive.get(),
        heapPeak.get(),
        threadsBefore,
        threads.getPeakThreadCount());
  }

  /** A relay stream, its events consumed as they come, ending with its final message. */
  private static Future<?> relayStream(ClaudeClient client, int i, Counters counters) {
    MessageStream stream = client.stream(request(i));
    boolean[] first = {true};
    stream.handler(
        event -> {
          counters.events().incrementAndGet();
          if (first[0]) {
            first[0] = false;
            counters.opened();
          }
        });
    Future<?> message = stream.message().onComplete(r -> counters.open().decrementAndGet());
    stream.resume();
    return message;
  }

  /** The same request through a bare HttpClient: the body's bytes, no decoding. */
  private static Future<?> bareStream(
      HttpClientAgent bare, String baseUrl, int i, Counters counters) {
    return bare.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUrl + "/v1/messages")
                .putHeader("x-api-key", "bench-key")
                .putHeader("anthropic-version", "2023-06-01")
                .putHeader("content-type", "application/json"))
        .compose(r -> r.send(request(i).put("stream", true).toBuffer()))
        .compose(
            response -> {
              counters.opened();
              response.handler(chunk -> counters.events().incrementAndGet());
              return response.end();
            })
        .onComplete(r -> counters.open().decrementAndGet());
  }

  private static JsonObject request(int i) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", 1024)
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "stream " + i)));
  }

  /** Rounds whose live heap was measured (too few streams open at once in a round: none). */
  private static List<Round> measured(List<Round> rounds) {
    List<Round> measured = rounds.stream().filter(r -> r.heapLive >= 0).toList();
    return measured.isEmpty() ? rounds : measured;
  }

  private static long median(List<Round> rounds, ToLongFunction<Round> f) {
    long[] values = rounds.stream().mapToLong(f).toArray();
    Arrays.sort(values);
    return values[values.length / 2];
  }

  private static Process startSimulator(int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.clauderelay.cli.Main",
            "simulate",
            "--port",
            String.valueOf(port),
            "--max-text-tokens",
            String.valueOf(TOKENS),
            "--stream-delay-ms",
            String.valueOf(DELTA_DELAY_MS))
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
