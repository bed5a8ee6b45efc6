package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #7, durability end to end: the whole relay ({@code serve}) runs as a separate JVM over one
 * region, an {@link EchoUpstream} in this JVM.
 *
 * <ol>
 *   <li>Upstream down (connection refused): {@value #TASKS} requests with distinct {@code
 *       idempotency-key}s are each answered {@code 202 {"type":"queued","task_id"}}; the relay is
 *       killed with SIGKILL.
 *   <li>Restarted on the same config (and store), still down: every task is known. The upstream
 *       comes back, answering after {@value #ANSWER_DELAY_MS} ms; once some tasks are DONE the next
 *       replayed request is held unanswered at the upstream, and the relay is SIGKILLed with it in
 *       flight.
 *   <li>Restarted again: every task ends DONE.
 * </ol>
 *
 * <p>Then: every task's result is readable at {@code GET /v1/relay/tasks/{id}} and is the answer to
 * its own marker; the log line {@code pending task <id> completed} appears exactly once per task
 * over the three processes; the upstream saw every task, and saw one twice only if it was in flight
 * (received, not answered) at a kill, with no more repeats than requests in flight at the kills.
 */
class RelayCrashRecoveryTest {
  private static final int TASKS = 20;
  private static final long ANSWER_DELAY_MS = 150;
  private static final int DONE_BEFORE_SECOND_KILL = 5;
  private static final String TOKEN = "crash-gw-token-61c2e9a4";
  private static final String REGION_KEY = FakeKeys.SK_ANT + "FAKE-crash-region-key-0b7f";

  /** A cold JVM on a busy 2-core machine: generous, but bounded. */
  private static final long START_MS = 60_000;

  private static final long PHASE_MS = 45_000;
  private static final int SIGKILL_EXIT = 128 + 9;
  private static final Pattern COMPLETED =
      Pattern.compile("pending task (\\S+) completed state=(\\S+)");

  @TempDir Path dir;

  private Vertx vertx;
  private HttpClient http;
  private EchoUpstream upstream;
  private final List<RelayProcess> relays = new ArrayList<>();

  @AfterEach
  void stop() {
    relays.forEach(RelayProcess::close);
    if (vertx != null) {
      if (http != null) {
        Await.result(http.close());
      }
      if (upstream != null) {
        Await.result(upstream.close());
      }
      Await.result(vertx.close());
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void queuedTasksSurviveKillsAndCompleteExactlyOnce() throws Exception {
    long t0 = System.nanoTime();
    vertx = Vertx.vertx();
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
    upstream = Await.result(EchoUpstream.start(vertx, REGION_KEY));
    Await.result(upstream.refuse());
    Path config = writeConfig(upstream.baseUrl());

    // 1. Upstream down: every request is queued, then SIGKILL.
    RelayProcess first = launch("1", config);
    int port = first.awaitPort(START_MS);
    long started1 = System.nanoTime();
    Map<String, String> markerOfTask = new LinkedHashMap<>();
    for (int i = 0; i < TASKS; i++) {
      String marker = String.format("task-%02d", i);
      Reply r = post(port, marker, "crash-key-" + i);
      assertEquals(202, r.status, () -> r.body + logs());
      assertEquals("queued", r.json().getString("type"));
      assertEquals("queued", r.degraded);
      String id = r.json().getString("task_id");
      assertNotNull(id);
      markerOfTask.put(id, marker);
    }
    assertEquals(TASKS, markerOfTask.size(), "one task per idempotency key");
    long queuedMs = ms(started1);
    assertEquals(SIGKILL_EXIT, first.kill(), "killed by SIGKILL");
    assertTrue(upstream.arrivals().isEmpty(), "the upstream refused every connection");

    // 2. Restart while down: nothing was lost. Upstream back; kill with a replay in flight.
    RelayProcess second = launch("2", config);
    int port2 = second.awaitPort(START_MS);
    for (String id : markerOfTask.keySet()) {
      Reply r = get(port2, id);
      assertEquals(200, r.status, () -> id + " after the first kill: " + r.body + logs());
      String state = r.json().getString("state");
      assertTrue(Set.of("QUEUED", "RUNNING").contains(state), id + " " + state);
    }
    upstream.setDelayMs(ANSWER_DELAY_MS);
    Await.result(upstream.listen());
    long upAt = System.nanoTime();
    waitUntil(
        "some tasks done after the upstream came back",
        () -> done(port2, markerOfTask.keySet()) >= DONE_BEFORE_SECOND_KILL);
    long firstDoneMs = ms(upAt);
    EchoUpstream.Arrival held;
    try {
      held = upstream.holdNext().get(PHASE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no replay reached the upstream after some were done" + logs(), e);
    }
    long killNs = System.nanoTime();
    assertEquals(SIGKILL_EXIT, second.kill(), "killed by SIGKILL");
    long deadNs = System.nanoTime();
    upstream.releaseHeld(); // its answer goes to a closed socket
    // In flight at the kill: received before the relay was gone, not answered before the kill.
    Set<String> inFlight = new HashSet<>();
    for (EchoUpstream.Arrival a : upstream.arrivals()) {
      if (a.arrivedNs < deadNs && (a.answeredNs() < 0 || a.answeredNs() > killNs)) {
        inFlight.add(a.marker);
      }
    }
    assertTrue(inFlight.contains(held.marker), "the held request was in flight");
    int completedBySecond = completions(second).size();

    // 3. Restart: the rest completes.
    RelayProcess third = launch("3", config);
    int port3 = third.awaitPort(START_MS);
    long started3 = System.nanoTime();
    waitUntil("every task done", () -> done(port3, markerOfTask.keySet()) == TASKS);
    long drainMs = ms(started3);
    Map<String, JsonObject> finals = new LinkedHashMap<>();
    for (String id : markerOfTask.keySet()) {
      finals.put(id, get(port3, id).json());
    }
    // A task is committed DONE before its line is logged: wait for the last lines.
    waitUntil(
        "a completion line for every task",
        () -> allCompletions().keySet().containsAll(markerOfTask.keySet()));
    assertEquals(SIGKILL_EXIT, third.kill());

    // Every result is readable and answers its own request.
    for (Map.Entry<String, JsonObject> e : finals.entrySet()) {
      JsonObject task = e.getValue();
      assertEquals("DONE", task.getString("state"), task::encode);
      JsonObject message = task.getJsonObject("message");
      assertEquals("message", message.getString("type"), task::encode);
      assertEquals(
          "echo " + markerOfTask.get(e.getKey()),
          message.getJsonArray("content").getJsonObject(0).getString("text"),
          task::encode);
    }

    // Exactly one completion per task, over all three processes.
    Map<String, List<String>> completions = allCompletions();
    assertEquals(markerOfTask.keySet(), completions.keySet(), this::logs);
    completions.forEach(
        (id, states) -> assertEquals(List.of("DONE"), states, () -> id + " " + states + logs()));
    assertTrue(completedBySecond >= DONE_BEFORE_SECOND_KILL);
    assertTrue(
        third.lines().stream().anyMatch(l -> l.contains("pending tasks: 1 were running")),
        "the third relay found the held task RUNNING and ran it again");

    // The upstream saw every task; a task twice only if it was in flight at a kill.
    Map<String, Integer> seen = new TreeMap<>();
    upstream.arrivals().forEach(a -> seen.merge(a.marker, 1, Integer::sum));
    assertEquals(new TreeMap<>(invert(markerOfTask)).keySet(), seen.keySet());
    Set<String> repeated =
        seen.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    int repeats = seen.values().stream().mapToInt(c -> c - 1).sum();
    assertTrue(inFlight.containsAll(repeated), "repeated " + seen + ", in flight " + inFlight);
    assertTrue(repeats <= inFlight.size(), "repeats " + repeats + ", in flight " + inFlight);
    assertEquals(List.of(), upstream.problems());

    System.out.printf(
        "RelayCrashRecoveryTest: %d tasks queued in %d ms; upstream back -> %d DONE after %d ms;"
            + " second kill with %d in flight %s; third run drained the rest in %d ms;"
            + " upstream requests %d, repeats %d %s; completion lines %d; total %d ms%n",
        TASKS,
        queuedMs,
        completedBySecond,
        firstDoneMs,
        inFlight.size(),
        inFlight,
        drainMs,
        upstream.arrivals().size(),
        repeats,
        repeated,
        completions.size(),
        ms(t0));
  }

  // ---- the relay ------------------------------------------------------------------------------

  private Path writeConfig(String upstreamUrl) throws Exception {
    Path pending = dir.resolve("pending");
    String yaml =
        String.join(
            "\n",
            "gateway: { host: 127.0.0.1, port: 0, tokens: [\"" + TOKEN + "\"] }",
            "regions:",
            "  - name: echo",
            "    baseUrl: \"" + upstreamUrl + "\"",
            "    apiKeys: [\"" + REGION_KEY + "\"]",
            // Failures are quick: one retry, short waits, a breaker that opens at once and lets
            // the health probe (every 200 ms) close it soon after the upstream is back.
            "retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 50, deadlineMs: 20000 }",
            "breaker: { maxFailures: 2, windowMs: 10000, resetTimeoutMs: 300 }",
            "health: { intervalMs: 200, timeoutMs: 2000 }",
            "rateLimit: { requestsPerMinute: 6000 }",
            "cache: { enabled: false }",
            "transport: { connectTimeoutMs: 2000, responseTimeoutMs: 30000 }",
            "degrade: { pendingDir: \"" + pending + "\", maxPendingTasks: 1000 }",
            "");
    Path config = dir.resolve("relay.yaml");
    Files.writeString(config, yaml);
    return config;
  }

  private RelayProcess launch(String name, Path config) throws Exception {
    RelayProcess p = RelayProcess.start(name, dir, config);
    relays.add(p);
    return p;
  }

  private static Map<String, List<String>> completions(RelayProcess relay) {
    Map<String, List<String>> byId = new TreeMap<>();
    for (String line : relay.lines()) {
      Matcher m = COMPLETED.matcher(line);
      if (m.find()) {
        byId.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
      }
    }
    return byId;
  }

  private Map<String, List<String>> allCompletions() {
    Map<String, List<String>> all = new TreeMap<>();
    for (RelayProcess relay : relays) {
      completions(relay)
          .forEach((id, s) -> all.computeIfAbsent(id, k -> new ArrayList<>()).addAll(s));
    }
    return all;
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < relays.size(); i++) {
      b.append("\n--- relay ").append(i + 1).append(" ---\n");
      b.append(String.join("\n", relays.get(i).lines()));
    }
    return b.toString();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private record Reply(int status, String degraded, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private Reply post(int port, String marker, String idempotencyKey) {
    JsonObject body =
        new JsonObject()
            .put("model", "claude-sonnet-4-6")
            .put("max_tokens", 32)
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", marker)));
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setPort(port)
            .setURI("/v1/messages")
            .addHeader("x-api-key", TOKEN)
            .addHeader("content-type", "application/json")
            .addHeader("anthropic-version", "2023-06-01")
            .addHeader("idempotency-key", idempotencyKey);
    return call(ro, body.toBuffer());
  }

  private Reply get(int port, String taskId) {
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setPort(port)
            .setURI("/v1/relay/tasks/" + taskId)
            .addHeader("x-api-key", TOKEN);
    return call(ro, null);
  }

  private Reply call(RequestOptions ro, Buffer body) {
    return Await.result(
        http.request(ro)
            .compose(req -> body == null ? req.send() : req.send(body))
            .compose(
                resp ->
                    resp.body()
                        .map(
                            b ->
                                new Reply(
                                    resp.statusCode(), resp.getHeader("x-relay-degraded"), b))));
  }

  private int done(int port, Set<String> ids) {
    int done = 0;
    for (String id : ids) {
      Reply r = get(port, id);
      if (r.status == 200 && "DONE".equals(r.json().getString("state"))) {
        done++;
      }
    }
    return done;
  }

  /** Polls every 100 ms (a Vert.x timer awaited on this thread) until true or the deadline. */
  private void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PHASE_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + logs());
      }
      Await.result(vertx.timer(100));
    }
  }

  private static long ms(long sinceNs) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
  }

  private static Map<String, String> invert(Map<String, String> map) {
    Map<String, String> inverted = new TreeMap<>();
    map.forEach((k, v) -> inverted.put(v, k));
    return inverted;
  }
}
