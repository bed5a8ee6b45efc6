package dev.clauderelay.sim;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one simulator instance shares between its request handling (on its event loop) and its
 * public API (called from any thread, typically a test's).
 */
final class SimState {

  final SimOptions options;
  final ScriptQueue script = new ScriptQueue();
  final SimStats stats;
  final SimRateLimiter limiter;
  final SimTimers timers;

  /** Requests accepted and deliberately never answered; reset on close. */
  final Set<HttpServerResponse> held = ConcurrentHashMap.newKeySet();

  final AtomicLong flakyRolls = new AtomicLong();
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong messageIds = new AtomicLong();

  /** Random per instance so that ids from two simulated regions never collide. */
  private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  private volatile FaultProfile profile;
  private volatile long latencyMs;

  SimState(Vertx vertx, SimOptions options) {
    this.options = options;
    this.stats = new SimStats(options.getMaxRecordedRequests());
    this.limiter =
        new SimRateLimiter(
            options.getRequestsPerMinute(),
            options.getTokensPerMinute(),
            options.getRateLimitWindowMs(),
            System::currentTimeMillis);
    this.timers = new SimTimers(vertx);
    this.profile = options.getProfile();
    this.latencyMs = options.getLatencyMs();
  }

  FaultProfile profile() {
    return profile;
  }

  void profile(FaultProfile profile) {
    this.profile = profile;
  }

  long latencyMs() {
    return latencyMs;
  }

  void latencyMs(long latencyMs) {
    this.latencyMs = latencyMs;
  }

  String nextRequestId() {
    return "req_sim_" + tag + String.format("%012x", requestIds.getAndIncrement());
  }

  String nextMessageId() {
    return "msg_sim_" + tag + String.format("%012x", messageIds.getAndIncrement());
  }
}
