package dev.clauderelay.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The demo's load generator: a planned list of {@code POST /v1/messages} calls sent to the gateway
 * over real HTTP on loopback, spread evenly over a time window with at most {@code concurrency} in
 * flight. Everything runs on one Vert.x context (timers, no thread waits); the result list is read
 * by the command's thread only after the returned future completed.
 */
final class DemoTraffic {
  static final String MODEL = "claude-sonnet-4-6";

  /**
   * Prompts asked again and again with {@code temperature: 0}: what a response cache can answer.
   */
  static final List<String> REPEATED_PROMPTS =
      List.of(
          "What is a circuit breaker?", "Name three HTTP status codes.", "Say hello in French.");

  private static final long IDLE_TIMEOUT_MS = 30_000;

  /** Beyond this, a stream's text is not kept (the end markers are looked for in what is kept). */
  private static final int MAX_STREAM_CHARS = 256 * 1024;

  /** One planned call. */
  record Call(int index, boolean stream, boolean repeat, JsonObject body) {}

  /**
   * What came back.
   *
   * @param status HTTP status, 0 when no answer came
   * @param failure null when the call succeeded, else why not: the status, {@code stream error} (an
   *     {@code event: error} frame), {@code stream cut} (no {@code message_stop}) or {@code no
   *     answer}
   * @param totalNanos send to the end of the answer
   * @param firstByteNanos send to the first body bytes (streams), -1 otherwise
   */
  record Result(
      Call call,
      int status,
      String region,
      int attempts,
      String degraded,
      String failure,
      long totalNanos,
      long firstByteNanos) {

    boolean ok() {
      return failure == null;
    }
  }

  private final Vertx vertx;
  private final int port;
  private final List<Call> plan;
  private final int concurrency;
  private final long intervalNanos;
  private final IntConsumer beforeSend;
  private final List<Result> results = new ArrayList<>();
  private final BitSet finished = new BitSet();
  private final Promise<List<Result>> done = Promise.promise();
  private HttpClient http;
  private long startNanos;
  private int next;
  private int inFlight;
  private boolean timerArmed;

  /**
   * @param spreadMs the calls are started evenly over this window (0: as fast as {@code
   *     concurrency} allows)
   * @param beforeSend told the index of each call just before it is sent, on the traffic's context
   *     (the demo switches the simulated regions' behaviour there); must not block
   */
  DemoTraffic(
      Vertx vertx,
      int port,
      List<Call> plan,
      int concurrency,
      long spreadMs,
      IntConsumer beforeSend) {
    this.vertx = vertx;
    this.port = port;
    this.plan = List.copyOf(plan);
    this.concurrency = concurrency;
    this.intervalNanos = plan.isEmpty() ? 0 : TimeUnit.MILLISECONDS.toNanos(spreadMs) / plan.size();
    this.beforeSend = beforeSend;
  }

  /**
   * The calls of a run: about a third streamed, about one in five a repeated {@code temperature: 0}
   * prompt; a pure function of the seed.
   */
  static List<Call> plan(int requests, long seed, int maxTokens) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Call> calls = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      boolean stream = random.nextInt(3) == 0;
      boolean repeat = random.nextInt(5) == 0;
      String prompt =
          repeat
              ? REPEATED_PROMPTS.get(random.nextInt(REPEATED_PROMPTS.size()))
              : "Demo request " + i + ": explain retries with backoff.";
      JsonObject body =
          new JsonObject()
              .put("model", MODEL)
              .put("max_tokens", maxTokens)
              .put(
                  "messages",
                  new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
      if (repeat) {
        body.put("temperature", 0);
      }
      if (stream) {
        body.put("stream", true);
      }
      calls.add(new Call(i, stream, repeat, body));
    }
    return calls;
  }

  /** Sends the plan; completes with one result per call, in the order they finished. */
  Future<List<Result>> run() {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> {
          http =
              vertx.createHttpClient(
                  new HttpClientOptions().setKeepAlive(true),
                  new PoolOptions().setHttp1MaxSize(concurrency));
          startNanos = System.nanoTime();
          pump();
        });
    return done.future().eventually(() -> http == null ? Future.succeededFuture() : http.close());
  }

  private void pump() {
    while (inFlight < concurrency && next < plan.size()) {
      long waitNanos = startNanos + next * intervalNanos - System.nanoTime();
      long waitMs = TimeUnit.NANOSECONDS.toMillis(waitNanos);
      if (waitMs >= 1) {
        if (!timerArmed) {
          timerArmed = true;
          vertx.setTimer(
              waitMs,
              id -> {
                timerArmed = false;
                pump();
              });
        }
        return;
      }
      Call call = plan.get(next++);
      inFlight++;
      beforeSend.accept(call.index());
      send(call);
    }
    if (results.size() == plan.size()) {
      done.tryComplete(List.copyOf(results));
    }
  }

  private void send(Call call) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/v1/messages")
            .setIdleTimeout(IDLE_TIMEOUT_MS)
            .putHeader("content-type", "application/json")
            .putHeader("anthropic-version", "2023-06-01");
    if (call.stream()) {
      options.putHeader("accept", "text/event-stream");
    }
    long sent = System.nanoTime();
    http.request(options)
        .compose(req -> req.send(call.body().toBuffer()))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                finish(new Result(call, 0, null, 0, null, "no answer", elapsed(sent), -1));
              } else if (call.stream() && ar.result().statusCode() == 200) {
                readStream(call, ar.result(), sent);
              } else {
                HttpClientResponse resp = ar.result();
                resp.body()
                    .onComplete(
                        body ->
                            finish(
                                result(
                                    call,
                                    resp,
                                    body.succeeded() ? failureOf(resp.statusCode()) : "no answer",
                                    sent,
                                    -1)));
              }
            });
  }

  private void readStream(Call call, HttpClientResponse resp, long sent) {
    StringBuilder text = new StringBuilder();
    long[] firstByte = {-1};
    resp.handler(
        chunk -> {
          if (firstByte[0] < 0) {
            firstByte[0] = elapsed(sent);
          }
          if (text.length() < MAX_STREAM_CHARS) {
            text.append(chunk.toString());
          }
        });
    resp.exceptionHandler(err -> finish(result(call, resp, "stream cut", sent, firstByte[0])));
    resp.endHandler(
        v -> {
          String failure = null;
          if (text.indexOf("event: error") >= 0) {
            failure = "stream error";
          } else if (text.indexOf("event: message_stop") < 0) {
            failure = "stream cut";
          }
          finish(result(call, resp, failure, sent, firstByte[0]));
        });
  }

  private static Result result(
      Call call, HttpClientResponse resp, String failure, long sent, long firstByte) {
    String attempts = resp.getHeader("x-relay-attempts");
    int n;
    try {
      n = attempts == null ? 0 : Integer.parseInt(attempts.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    return new Result(
        call,
        resp.statusCode(),
        resp.getHeader("x-relay-region"),
        n,
        resp.getHeader("x-relay-degraded"),
        failure,
        elapsed(sent),
        firstByte);
  }

  private static String failureOf(int status) {
    return status >= 200 && status < 300 ? null : Integer.toString(status);
  }

  private void finish(Result result) {
    // A stream's exception and end handlers may both fire; the first counts.
    if (finished.get(result.call().index())) {
      return;
    }
    finished.set(result.call().index());
    results.add(result);
    inFlight--;
    pump();
  }

  private static long elapsed(long sentNanos) {
    return System.nanoTime() - sentNanos;
  }
}
