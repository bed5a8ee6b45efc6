package dev.clauderelay.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Anthropic-compatible HTTP server with named fault profiles: for offline development, chaos
 * drills, the {@code demo} command and tests. Serves {@code POST /v1/messages} (JSON, or SSE with
 * {@code "stream": true}), {@code POST /v1/messages/count_tokens}, {@code GET /v1/models} and
 * {@code GET /v1/models/{id}}, with the real API's bodies, headers ({@code request-id} on every
 * response) and error JSON.
 *
 * <h2>Answers</h2>
 *
 * Text is generated, deterministic for (seed, request body without {@code stream}), one word per
 * output token; a full answer is {@link SimOptions#getMaxTextTokens()} words and stops with {@code
 * end_turn}, a smaller {@code max_tokens} cuts it and stops with {@code max_tokens}. Input tokens
 * are estimated as characters / 4 of system, messages and tools. Bad requests (not JSON, missing
 * {@code model}, {@code max_tokens} or {@code messages}) get 400 {@code invalid_request_error}.
 *
 * <h2>Order of decisions for each request</h2>
 *
 * <ol>
 *   <li>A queued {@link ScriptedResponse}, if one applies to the path, decides everything (no auth,
 *       no profile).
 *   <li>{@code stall} holds the request (before auth: a stalled upstream answers nothing).
 *   <li>Auth, unless {@link SimOptions#isRequireAuth()} is false: {@code x-api-key} or {@code
 *       Authorization: Bearer} must be present, and one of {@link SimOptions#getAcceptedKeys()}
 *       when that set is not empty; else 401 {@code authentication_error}.
 *   <li>The profile's fault, then the base latency ({@link #setLatencyMs(long)}) on a Vert.x timer,
 *       then the endpoint.
 * </ol>
 *
 * <h2>Profiles</h2>
 *
 * Profiles apply to every endpoint, model listing included, so that health probes see what traffic
 * sees; only {@code ratelimited} spares model listing (it is the free probe upstream too).
 *
 * <ul>
 *   <li>{@code healthy}: always answers.
 *   <li>{@code flaky}: the n-th request's fate is a pure function of (seed, n): about 15 % 529
 *       {@code overloaded_error}, 10 % 500 {@code api_error}, 10 % 429 {@code rate_limit_error}
 *       with {@code retry-after: 1}, 10 % an extra 300–1500 ms delay, else healthy.
 *   <li>{@code overloaded}: always 529 {@code overloaded_error}.
 *   <li>{@code ratelimited}: a fixed window per API key ({@link SimOptions#getRequestsPerMinute()}
 *       requests and {@link SimOptions#getTokensPerMinute()} tokens per {@link
 *       SimOptions#getRateLimitWindowMs()}) over {@code /v1/messages} and {@code
 *       /v1/messages/count_tokens}; beyond it 429 {@code rate_limit_error} with {@code retry-after}
 *       (whole seconds until the window resets). Every response carries {@code
 *       anthropic-ratelimit-requests-limit|remaining|reset} and {@code
 *       anthropic-ratelimit-tokens-limit|remaining|reset} (reset in RFC 3339). Other profiles send
 *       no rate-limit headers, so that a pacing client is not slowed by a limit nobody enforces.
 *       Count 429s with {@link #statusCount(int)}.
 *   <li>{@code midstream-cut}: a stream sends message_start, content_block_start, ping and the
 *       first half (at least one) of its text deltas, then the connection is closed: no
 *       content_block_stop, no message_stop. <b>Non-streaming requests are answered normally</b>,
 *       so the profile isolates the one fault it is named for (use {@link
 *       ScriptedResponse#closeConnection()} to reset a plain request).
 *   <li>{@code stall}: requests are accepted and never answered; a valid stream request gets its
 *       200 headers and message_start, then nothing, not even pings. Held requests cost no thread
 *       and are dropped when the client closes, or reset when the simulator closes.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * The server runs on one event loop; the script, statistics and runtime setters may be used from
 * any thread. Every delay is a Vert.x timer; nothing sleeps.
 */
public final class SimulatedAnthropic {

  private final Vertx vertx;
  private final Context context;
  private final SimState state;
  private HttpServer server;
  private volatile int port = -1;

  private SimulatedAnthropic(Vertx vertx, Context context, SimOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.state = new SimState(vertx, options);
  }

  /**
   * Starts a simulator listening on {@code options}' host and port (0 = ephemeral).
   *
   * @param options copied; later changes to it have no effect
   */
  public static Future<SimulatedAnthropic> start(Vertx vertx, SimOptions options) {
    SimOptions copy = new SimOptions(options);
    // One context for the server, its timers and close(), whichever thread calls start().
    Context context = vertx.getOrCreateContext();
    SimulatedAnthropic sim = new SimulatedAnthropic(vertx, context, copy);
    Promise<SimulatedAnthropic> started = Promise.promise();
    context.runOnContext(v -> sim.listen().onComplete(started));
    return started.future();
  }

  private Future<SimulatedAnthropic> listen() {
    SimOptions options = state.options;
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
            .requestHandler(new SimHandler(state).router(vertx));
    return server
        .listen()
        .map(
            s -> {
              port = s.actualPort();
              return this;
            });
  }

  /** Stops listening, cancels pending timers and resets held requests. Idempotent. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(
        v -> {
          state.timers.cancelAll();
          List<HttpServerResponse> held = new ArrayList<>(state.held);
          state.held.clear();
          held.forEach(HttpServerResponse::reset);
          (server == null ? Future.<Void>succeededFuture() : server.close()).onComplete(closed);
        });
    return closed.future();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return port;
  }

  /** E.g. {@code http://127.0.0.1:41234}, no trailing slash. */
  public String baseUrl() {
    String host = state.options.getHost();
    String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port;
  }

  /** A copy of the options the simulator was started with. */
  public SimOptions options() {
    return new SimOptions(state.options);
  }

  // ---- runtime control ----------------------------------------------------------------------

  /** The current fault profile. */
  public FaultProfile profile() {
    return state.profile();
  }

  /** Switches the fault profile for requests arriving from now on (e.g. to drill a recovery). */
  public SimulatedAnthropic setProfile(FaultProfile profile) {
    if (profile == null) {
      throw new IllegalArgumentException("profile must be one of: " + FaultProfile.allowedNames());
    }
    state.profile(profile);
    return this;
  }

  /** The current base latency in milliseconds. */
  public long latencyMs() {
    return state.latencyMs();
  }

  /** Changes the base latency (milliseconds, 0..3600000) for requests arriving from now on. */
  public SimulatedAnthropic setLatencyMs(long latencyMs) {
    // Same range check and message as the option itself.
    new SimOptions().setLatencyMs(latencyMs);
    state.latencyMs(latencyMs);
    return this;
  }

  // ---- script -------------------------------------------------------------------------------

  /** Queues responses, served first-in first-out before the profile applies. */
  public SimulatedAnthropic enqueue(ScriptedResponse... responses) {
    if (Arrays.stream(responses).anyMatch(r -> r == null)) {
      throw new IllegalArgumentException("scripted responses must be non-null");
    }
    state.script.addAll(Arrays.asList(responses));
    return this;
  }

  /** How many scripted responses are still queued. */
  public int scriptedRemaining() {
    return state.script.size();
  }

  /** Drops all queued scripted responses. */
  public SimulatedAnthropic clearScript() {
    state.script.clear();
    return this;
  }

  // ---- observation --------------------------------------------------------------------------

  /** Requests received since start (or {@link #resetStats()}), all paths. */
  public long requestCount() {
    return state.stats.total();
  }

  /** Requests received on exactly this path, e.g. {@code /v1/messages}. */
  public long requestCount(String path) {
    return state.stats.forPath(path);
  }

  /** Responses whose status line was sent with this status, e.g. {@code statusCount(429)}. */
  public long statusCount(int status) {
    return state.stats.forStatus(status);
  }

  /**
   * The most recent requests, oldest first (at most {@link SimOptions#getMaxRecordedRequests()}).
   */
  public List<RecordedRequest> requests() {
    return state.stats.recent();
  }

  /**
   * The latest request.
   *
   * @throws IllegalStateException when none was received (or none is kept)
   */
  public RecordedRequest lastRequest() {
    RecordedRequest last = state.stats.last();
    if (last == null) {
      throw new IllegalStateException("the simulator has received no request yet");
    }
    return last;
  }

  /** How many requests are currently held unanswered ({@code stall}, {@code hang()}). */
  public int heldRequests() {
    return state.held.size();
  }

  /** Zeroes counters and forgets recorded requests; the script and rate windows are kept. */
  public SimulatedAnthropic resetStats() {
    state.stats.reset();
    return this;
  }

  @Override
  public String toString() {
    return "SimulatedAnthropic{" + baseUrl() + ", profile " + state.profile() + "}";
  }
}
