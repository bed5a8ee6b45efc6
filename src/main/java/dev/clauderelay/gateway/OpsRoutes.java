package dev.clauderelay.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Operations endpoints, open without a token (probes and scrapers carry none) and therefore holding
 * no secret: {@code /health/live}, {@code /health/ready}, {@code /status}, {@code /metrics}.
 */
final class OpsRoutes {
  static final Set<String> PATHS = Set.of("/health/live", "/health/ready", "/status", "/metrics");

  /** Prometheus text exposition format. */
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final RegionStatus regions;
  private final Supplier<String> scrape;
  private final LongSupplier clock;
  private final JsonObject gateway;
  private final LongSupplier pendingTasks;
  private volatile boolean draining;

  OpsRoutes(
      RegionStatus regions,
      Supplier<String> scrape,
      LongSupplier clock,
      GatewayOptions options,
      boolean open,
      LongSupplier pendingTasks) {
    this.regions = regions;
    this.pendingTasks = pendingTasks;
    this.scrape = scrape;
    this.clock = clock;
    this.gateway =
        new JsonObject()
            .put("host", options.getHost())
            .put("maxBodyBytes", options.getMaxBodyBytes())
            .put("clientAuth", open ? "none (loopback)" : "token")
            .put("tokens", options.getTokens().size());
  }

  /** From now on, readiness says no: the gateway is stopping. */
  void drain() {
    draining = true;
  }

  void live(RoutingContext rc) {
    Replies.json(rc.response(), record(rc), 200, new JsonObject().put("status", "UP"));
  }

  void ready(RoutingContext rc) {
    boolean usable = regions.anyUsable(clock.getAsLong());
    boolean ready = usable && !draining;
    String reason = draining ? "stopping" : usable ? null : "no region is usable";
    JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN");
    if (reason != null) {
      body.put("reason", reason);
    }
    Replies.json(rc.response(), record(rc), ready ? 200 : 503, body);
  }

  void status(RoutingContext rc) {
    JsonObject body = regions.snapshot(clock.getAsLong());
    body.put("pendingTasks", Math.max(0, pendingTasks.getAsLong()))
        .put("ready", !draining && regions.anyUsable(clock.getAsLong()))
        .put("gateway", gateway.copy());
    Replies.json(rc.response(), record(rc), 200, body);
  }

  void metrics(RoutingContext rc) {
    if (scrape == null) {
      Replies.error(rc.response(), record(rc), ErrorReply.local(404, "metrics are not enabled"));
      return;
    }
    rc.response().setStatusCode(200).putHeader("content-type", PROMETHEUS);
    Replies.relayHeaders(rc.response(), record(rc));
    rc.response().end(scrape.get());
  }

  private static RequestRecord record(RoutingContext rc) {
    return rc.get(RequestRecord.KEY);
  }
}
