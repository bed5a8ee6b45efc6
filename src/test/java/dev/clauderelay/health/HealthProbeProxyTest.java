package dev.clauderelay.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.region.BreakerSettings;
import dev.clauderelay.region.KeyPool;
import dev.clauderelay.region.PacingSettings;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import dev.clauderelay.transport.NetworkSettings;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A region reached through a proxy is probed at the HTTP layer only: this machine's own DNS to the
 * host is not the path traffic takes. Here the host never resolves (it is {@code .invalid}), so a
 * DNS layer would fail; the probe must instead fail where the proxy is (nothing listens on it).
 */
class HealthProbeProxyTest {
  private static final String KEY = FakeKeys.SK_ANT + "api03-FAKE-health-test-key-0003";
  private static final String BASE_URL = "https://api.anthropic.invalid";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aProxiedRegionSkipsTheDirectLayers() {
    NetServer closed = vertx.createNetServer();
    closed.connectHandler(socket -> socket.close());
    int port = Await.result(closed.listen(0, "127.0.0.1")).actualPort();
    Await.result(closed.close());
    RegionTransport transport =
        new RegionTransport(
            vertx,
            new TransportOptions(BASE_URL, 2000, 2000, 2000, 1, 1, "2023-06-01"),
            NetworkSettings.of(null, null, Map.of("HTTPS_PROXY", "http://127.0.0.1:" + port)));
    KeyPool pool =
        Await.result(KeyPool.load(vertx, "p", List.of(KEY), List.of(), System::currentTimeMillis));
    Region region =
        Region.create(
            vertx,
            "p",
            BASE_URL,
            pool,
            BreakerSettings.defaults(),
            PacingSettings.defaults(),
            System::currentTimeMillis);
    HealthVerticle health =
        new HealthVerticle(
            new RegionTable(List.of(region)),
            Map.of("p", transport),
            new HealthOptions(60_000, 3000));
    Await.result(vertx.deployVerticle(health));
    Await.result(health.probeNow());
    ProbeResult p = region.lastProbe();
    assertEquals(ProbeResult.Layer.HTTP, p.failedLayer(), p.toString());
    assertEquals(-1, p.dnsMs(), p.toString());
    assertTrue(p.error().contains("GET /v1/models failed"), p.toString());
  }
}
