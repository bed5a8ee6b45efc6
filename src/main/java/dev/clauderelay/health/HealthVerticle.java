package dev.clauderelay.health;

import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionBreaker;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.transport.RegionTransport;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every region on a timer and keeps the {@link RegionTable} current.
 *
 * <p>A round probes all regions in parallel (each bounded by {@code health.timeoutMs}, see {@link
 * RegionProbe}); the next round is armed with {@code setTimer(health.intervalMs)} only when the
 * round is over, so rounds never overlap and a slow upstream is not probed faster than it answers.
 * Before its probe, a region's key files are checked for rotation.
 *
 * <p>Each probe: sets the region's state ({@link ProbeVerdict}), feeds its EWMA latency with the
 * HTTP time of answers below 500, revokes a key answered 401 (and restores a revoked key answered
 * 200), pauses a key answered 429 until its reset, and drives the breaker's half-open trial (an
 * answer below 500 closes a HALF_OPEN breaker, anything else re-opens it).
 *
 * <p>Every change of a region's state or breaker state (from a probe, from live traffic tripping
 * the breaker, or from keys) is published on {@value #ADDRESS} as {@code {"region", "state",
 * "previous", "breaker", "previousBreaker", "latencyMs", "at", "cause", …}}.
 */
public final class HealthVerticle extends VerticleBase {
  /** Event-bus address of region state changes (published). */
  public static final String ADDRESS = "claude.health";

  private static final Logger LOG = LoggerFactory.getLogger(HealthVerticle.class);

  private final RegionTable table;
  private final Map<String, RegionTransport> transports;
  private final HealthOptions options;
  private final LongSupplier clock;
  private final Map<String, Seen> seen = new HashMap<>();
  private final Map<String, RegionBreaker.Listener> listeners = new HashMap<>();
  private NetClient net;
  private RegionProbe prober;
  private Future<Void> round;
  private long timer = -1;
  private long rounds;
  private boolean stopped;

  private record Seen(RegionState state, CircuitBreakerState breaker) {}

  /**
   * @param transports each region's transport, by region name (the engine owns them)
   */
  public HealthVerticle(
      RegionTable table,
      Map<String, RegionTransport> transports,
      HealthOptions options,
      LongSupplier clock) {
    for (Region r : table.regions()) {
      if (!transports.containsKey(r.name())) {
        throw new IllegalArgumentException("no transport for region " + r.name());
      }
    }
    this.table = table;
    this.transports = Map.copyOf(transports);
    this.options = options;
    this.clock = clock;
  }

  public HealthVerticle(
      RegionTable table, Map<String, RegionTransport> transports, HealthOptions options) {
    this(table, transports, options, System::currentTimeMillis);
  }

  @Override
  public Future<?> start() {
    net =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeoutMs())));
    prober = new RegionProbe(vertx, net, options.tls(), clock);
    for (Region r : table.regions()) {
      seen.put(r.name(), new Seen(r.state(), r.breaker().state()));
      RegionBreaker.Listener l =
          (from, to) -> context.runOnContext(v -> publishIfChanged(r, "breaker", null));
      listeners.put(r.name(), l);
      r.breaker().addListener(l);
    }
    runRound();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    for (Region r : table.regions()) {
      RegionBreaker.Listener l = listeners.remove(r.name());
      if (l != null) {
        r.breaker().removeListener(l);
      }
    }
    return net.close();
  }

  /**
   * Runs a round now (or joins the one in progress), then re-arms the interval timer. For tests and
   * for an operator's "check now"; may be called from any thread.
   */
  public Future<Void> probeNow() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> runRound().onComplete(done));
    return done.future();
  }

  /** Rounds completed so far. */
  public synchronized long rounds() {
    return rounds;
  }

  private Future<Void> runRound() {
    if (round != null) {
      return round;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Future<Void>> probes = new ArrayList<>();
    for (Region r : table.regions()) {
      probes.add(probeOne(r));
    }
    Promise<Void> done = Promise.promise();
    round = done.future();
    Future.join(probes)
        .onComplete(
            ar -> {
              round = null;
              synchronized (this) {
                rounds++;
              }
              if (!stopped) {
                timer = vertx.setTimer(options.intervalMs(), id -> runRound());
              }
              done.complete();
            });
    return done.future();
  }

  private Future<Void> probeOne(Region r) {
    return r.keys()
        .refresh()
        .otherwiseEmpty()
        .compose(changed -> prober.probe(r, transports.get(r.name()), options.timeoutMs()))
        .compose(obs -> apply(r, obs));
  }

  /** Applies a probe's findings; completes once the breaker has taken the outcome in. */
  private Future<Void> apply(Region r, RegionProbe.Observation obs) {
    long now = clock.getAsLong();
    int status = obs.status();
    boolean othersLeft = true;
    if (obs.key() != null) {
      if (status == 401) {
        r.onUnauthorized(obs.key());
        othersLeft = r.keys().hasUnrevoked();
      } else if (status >= 200 && status < 300) {
        r.keys().restore(obs.key());
      } else if (status == 429) {
        r.onRateLimited(obs.key(), obs.headers(), now);
      }
    }
    boolean noKey = obs.key() == null && obs.failedLayer() == ProbeResult.Layer.HTTP;
    RegionState verdict = noKey ? RegionState.AUTH_FAILED : ProbeVerdict.of(status, othersLeft);
    ProbeResult result = obs.result(verdict);
    r.applyProbe(result);
    if (ProbeVerdict.feedsLatency(status) && obs.httpMs() >= 0) {
      r.recordLatency(obs.httpMs());
    }
    Future<Void> breaker =
        ProbeVerdict.breakerSuccess(status)
            ? r.breaker().probeSucceeded()
            : r.breaker().probeFailed();
    if (LOG.isDebugEnabled()) {
      LOG.debug("probe of region {}: {}", r.name(), result.toJson().encode());
    }
    // The breaker applies the trial's outcome on a later turn: report once it has.
    return breaker.andThen(ar -> publishIfChanged(r, "probe", result));
  }

  private void publishIfChanged(Region r, String cause, ProbeResult probe) {
    if (stopped) {
      return;
    }
    RegionState state = r.state();
    CircuitBreakerState breaker = r.breaker().state();
    Seen before = seen.get(r.name());
    if (before != null && before.state() == state && before.breaker() == breaker) {
      return;
    }
    seen.put(r.name(), new Seen(state, breaker));
    double latency = r.latencyMs();
    JsonObject event =
        new JsonObject()
            .put("region", r.name())
            .put("state", state.name())
            .put("previous", before == null ? null : before.state().name())
            .put("breaker", breaker.name())
            .put("previousBreaker", before == null ? null : before.breaker().name())
            .put("latencyMs", Double.isNaN(latency) ? null : Math.round(latency * 10) / 10.0)
            .put("at", clock.getAsLong())
            .put("cause", cause);
    if (probe != null) {
      if (probe.status() > 0) {
        event.put("status", probe.status());
      }
      if (probe.error() != null) {
        event.put("error", probe.error());
      }
      if (probe.requestId() != null) {
        event.put("requestId", probe.requestId());
      }
    }
    LOG.info(
        "region {}: {} -> {}, breaker {} -> {} ({}{})",
        r.name(),
        before == null ? null : before.state(),
        state,
        before == null ? null : before.breaker(),
        breaker,
        cause,
        probe != null && probe.error() != null ? ": " + probe.error() : "");
    vertx.eventBus().publish(ADDRESS, event);
  }
}
