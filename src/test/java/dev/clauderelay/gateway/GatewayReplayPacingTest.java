package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.degrade.EchoUpstream;
import dev.clauderelay.region.TokenBucket;
import dev.clauderelay.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #7: the recovery drain is paced. {@value #TASKS} requests are queued as pending tasks while
 * the upstream answers 529; it recovers; the replay drains the queue through the pipeline while
 * live requests arrive too. The upstream stamps every {@code POST /v1/messages} with {@link
 * System#nanoTime()}.
 *
 * <p>The bound: the pacer is a GCRA token bucket of {@code requestsPerMinute} = {@value #RPM} with
 * a burst of {@link TokenBucket#DEFAULT_BURST} (1, as the engine builds it): permits come at least
 * 60 000 / {@value #RPM} = 200 ms apart (less 1 ms of rounding), so any window of one second holds
 * at most {@code RPM / 60 + burst} = 5 + 1 = 6 arrivals. That holds over the whole test: the
 * queueing under overload, the drain, and the live calls, which share the same per-key pacer.
 *
 * <p>Why 300/min and not faster: the stamps are taken when the upstream's handler runs, so a stall
 * of this JVM (GC, a busy machine) can bunch the stamps of requests that were sent apart. A 7th
 * request in a second would need the stamps bunched by about one interval; at 200 ms that is far
 * beyond the stalls a loaded test machine shows, so a failure means the pacer let too many go.
 */
class GatewayReplayPacingTest {
  private static final int RPM = 300;
  private static final int TASKS = 30;
  private static final int LIVE_DURING_DRAIN = 5;
  private static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(1);
  private static final int BOUND = RPM / 60 + TokenBucket.DEFAULT_BURST;

  /**
   * Longest event-loop turn tolerated, ms. Above the harness's 200: on a loaded 2-core machine a
   * descheduled loop thread shows up as "blocked" though it runs nothing long. A pacer that slept
   * for its permits would still show: its waits are 200 ms each, and they add up.
   */
  private static final long WATCH_MS = 1_000;

  @TempDir Path dir;

  private GatewayHarness h;
  private EchoUpstream upstream;
  private HttpClient http;

  @AfterEach
  void stop() {
    if (http != null) {
      Await.result(http.close());
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theDrainAfterAnOutageNeverExceedsTheConfiguredRate() {
    h =
        GatewayHarness.over(
            v -> {
              upstream = Await.result(EchoUpstream.start(v, GatewayHarness.REGION_KEY));
              return upstream.baseUrl();
            },
            GatewayHarness.options(),
            // No health prober in-process: keep the breaker closed so a live success is what
            // says the region is back (one of the replayer's signals).
            o ->
                o.setPendingDir(dir.toString())
                    .setRequestsPerMinute(RPM)
                    .setMaxRetries(0)
                    .setBreakerMaxFailures(1_000),
            WATCH_MS);
    http =
        h.vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(h.port()),
            new PoolOptions().setHttp1MaxSize(TASKS + LIVE_DURING_DRAIN));

    // The outage: every request is answered 529 upstream and queued here.
    upstream.setOverloaded(true);
    List<Future<GatewayHarness.Reply>> posts = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      posts.add(post("paced-" + i, "pacing-key-" + i));
    }
    Map<String, String> markerOfTask = new LinkedHashMap<>();
    for (int i = 0; i < TASKS; i++) {
      GatewayHarness.Reply r = Await.result(posts.get(i));
      assertEquals(202, r.status(), r.body().toString());
      markerOfTask.put(r.json().getString("task_id"), "paced-" + i);
    }
    assertEquals(TASKS, markerOfTask.size());

    // Recovery: a live success starts the drain; more live calls arrive while it runs.
    upstream.setOverloaded(false);
    long recoveredNs = System.nanoTime();
    assertEquals(200, Await.result(post("live-first", null)).status());
    List<Future<GatewayHarness.Reply>> live = new ArrayList<>();
    for (int i = 0; i < LIVE_DURING_DRAIN; i++) {
      live.add(post("live-" + i, null));
    }
    live.forEach(f -> assertEquals(200, Await.result(f).status()));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (h.get("/status").json().getInteger("pendingTasks") > 0) {
      assertTrue(System.nanoTime() < deadline, "the queue drained within 60 s");
      Await.result(h.vertx.timer(100));
    }
    long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveredNs);

    for (Map.Entry<String, String> task : markerOfTask.entrySet()) {
      JsonObject state = h.get("/v1/relay/tasks/" + task.getKey()).json();
      assertEquals("DONE", state.getString("state"), state::encode);
      assertEquals(
          "echo " + task.getValue(),
          state
              .getJsonObject("message")
              .getJsonArray("content")
              .getJsonObject(0)
              .getString("text"));
    }

    // Each task replayed once; every arrival, 529s included, within the rate.
    List<EchoUpstream.Arrival> arrivals = upstream.arrivals();
    Map<String, Integer> answered = new TreeMap<>();
    arrivals.stream()
        .filter(a -> a.status == 200)
        .forEach(a -> answered.merge(a.marker, 1, Integer::sum));
    markerOfTask.values().forEach(m -> assertEquals(1, answered.get(m), m + " replayed once"));
    assertEquals(TASKS + 1 + LIVE_DURING_DRAIN, answered.size());
    assertEquals(TASKS, arrivals.stream().filter(a -> a.status == 529).count());

    long[] times = arrivals.stream().mapToLong(a -> a.arrivedNs).sorted().toArray();
    int busiest = 0;
    int from = 0;
    for (int to = 0; to < times.length; to++) {
      while (times[to] - times[from] >= WINDOW_NS) {
        from++;
      }
      busiest = Math.max(busiest, to - from + 1);
    }
    assertTrue(
        busiest <= BOUND,
        "the upstream saw " + busiest + " requests within one second; the bound is " + BOUND);
    assertEquals(List.of(), upstream.problems());
    System.out.printf(
        "GatewayReplayPacingTest: %d tasks + %d live at %d/min: drained in %d ms, busiest second"
            + " %d requests (bound %d), %d upstream requests in all%n",
        TASKS, 1 + LIVE_DURING_DRAIN, RPM, drainMs, busiest, BOUND, arrivals.size());
  }

  private Future<GatewayHarness.Reply> post(String marker, String idempotencyKey) {
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI("/v1/messages")
            .addHeader("x-api-key", GatewayHarness.TOKEN)
            .addHeader("content-type", "application/json");
    if (idempotencyKey != null) {
      ro.addHeader("idempotency-key", idempotencyKey);
    }
    Buffer body = GatewayHarness.message(marker).toBuffer();
    return http.request(ro)
        .compose(req -> req.send(body))
        .compose(
            resp ->
                resp.body()
                    .map(b -> new GatewayHarness.Reply(resp.statusCode(), resp.headers(), b)));
  }
}
