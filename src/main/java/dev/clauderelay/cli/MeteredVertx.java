package dev.clauderelay.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Vert.x whose own meters (HTTP server, connection pools, event bus, JVM) go to the registry the
 * relay's meters use, so that one {@code /metrics} scrape shows both. Not its HTTP and TCP client
 * meters: {@code anthropic_requests_total} and its latency histogram already count every upstream
 * attempt.
 *
 * <p>Labels are kept few and bounded (docs/gateway.md, "Metrics"): method and status code of HTTP
 * requests, pool type and name, event-bus side. Not the request path (a client chooses it), not
 * remote or local addresses (one series per client port), not event-bus addresses (each {@code
 * claude.stream} stream has its own control address): the event-bus meters are totals. An HTTP
 * method outside the standard set is counted as {@code other}, since a client may send any token
 * there.
 */
final class MeteredVertx {
  static final Set<Label> LABELS =
      EnumSet.of(
          Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE);

  private static final String STANDARD_METHODS =
      "GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT";

  /**
   * Vert.x keeps backends in a JVM-wide map by registry name: two instances sharing a name would
   * share the first one's registry, so each gets its own.
   */
  private static final AtomicLong INSTANCES = new AtomicLong();

  private MeteredVertx() {}

  /**
   * A Vert.x with {@code options}, its metrics recorded into {@code registry}, on the epoll
   * transport when {@code epoll} asks for it and the native library loads (Linux on x86-64), on
   * Java NIO otherwise. {@link Vertx#isNativeTransportEnabled()} says which one it got.
   */
  static Vertx create(MeterRegistry registry, VertxOptions options, boolean epoll) {
    VertxBuilder builder =
        Vertx.builder()
            .with(new VertxOptions(options).setMetricsOptions(metricsOptions()))
            .withMetrics(new MicrometerMetricsFactory(registry));
    if (epoll && Transport.EPOLL.available()) {
      builder.withTransport(Transport.EPOLL);
    }
    return builder.build();
  }

  /** The transport {@code vertx} runs on, for the startup line: {@code epoll} or {@code nio}. */
  static String transportName(Vertx vertx) {
    return vertx.isNativeTransportEnabled() ? Transport.EPOLL.name() : Transport.NIO.name();
  }

  static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("claude-relay-" + INSTANCES.incrementAndGet())
        .setJvmMetricsEnabled(true)
        // The upstream side is measured by the relay's own anthropic_* meters (per region and
        // status, with the time to headers); Vert.x's HTTP/TCP client meters repeated them at a
        // cost of ~10 µs per request (meter lookups with tags on each request and response).
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .setLabels(LABELS)
        .addLabelMatch(
            new Match()
                .setDomain(MetricsDomain.HTTP_SERVER)
                .setLabel(Label.HTTP_METHOD.toString())
                .setType(MatchType.REGEX)
                .setValue("(?!(?:" + STANDARD_METHODS + ")$).*")
                .setAlias("other"));
  }
}
