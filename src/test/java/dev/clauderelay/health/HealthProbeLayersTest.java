package dev.clauderelay.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.region.BreakerSettings;
import dev.clauderelay.region.KeyPool;
import dev.clauderelay.region.PacingSettings;
import dev.clauderelay.region.ProbeResult;
import dev.clauderelay.region.Region;
import dev.clauderelay.region.RegionState;
import dev.clauderelay.region.RegionTable;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DNS and TLS layers of a probe, measured on their own. */
class HealthProbeLayersTest {
  private static final String KEY = FakeKeys.SK_ANT + "api03-FAKE-health-test-key-0002";

  private Vertx vertx;
  private final List<SimulatedAnthropic> sims = new ArrayList<>();
  private final Map<String, RegionTransport> transports = new HashMap<>();

  @BeforeAll
  static void warmUp() {
    ProbeWarmup.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    for (SimulatedAnthropic sim : sims) {
      assertEquals(0, sim.requestCount("/v1/messages"), "a probe reached POST /v1/messages");
      for (RecordedRequest r : sim.requests()) {
        assertEquals("GET /v1/models", r.method() + " " + r.path());
      }
      Await.result(sim.close());
    }
    Await.result(vertx.close());
  }

  private SimulatedAnthropic sim(SimOptions options) {
    SimulatedAnthropic sim = Await.result(SimulatedAnthropic.start(vertx, options));
    sims.add(sim);
    return sim;
  }

  private Region region(
      String name, String baseUrl, List<String> keys, List<java.nio.file.Path> files) {
    KeyPool pool = Await.result(KeyPool.load(vertx, name, keys, files, System::currentTimeMillis));
    transports.put(
        name,
        new RegionTransport(
            vertx, new TransportOptions(baseUrl, 2000, 5000, 5000, 4, 16, "2023-06-01")));
    return Region.create(
        vertx,
        name,
        baseUrl,
        pool,
        BreakerSettings.defaults(),
        PacingSettings.defaults(),
        System::currentTimeMillis);
  }

  private HealthVerticle deploy(RegionTable table, long intervalMs, long timeoutMs) {
    return deploy(table, new HealthOptions(intervalMs, timeoutMs));
  }

  private HealthVerticle deploy(RegionTable table, HealthOptions options) {
    HealthVerticle health = new HealthVerticle(table, transports, options);
    Await.result(vertx.deployVerticle(health));
    return health;
  }

  @Test
  void theTlsHandshakeIsMeasuredOnItsOwn() {
    NetServer tls =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(TestCert.keyCert()));
    tls.connectHandler(socket -> socket.handler(buf -> socket.close()));
    int port = Await.result(tls.listen()).actualPort();
    Region r = region("tls", "https://127.0.0.1:" + port, List.of(KEY), List.of());
    HealthVerticle health =
        deploy(
            new RegionTable(List.of(r)),
            new HealthOptions(
                60_000, 2000, new ClientSSLOptions().setTrustOptions(TestCert.trust())));
    Await.result(health.probeNow());
    ProbeResult p = r.lastProbe();
    assertTrue(p.tcpMs() >= 0, p.toString());
    assertTrue(p.tlsMs() >= 0, "the probe's handshake with the trusted CA passed: " + p);
    // The transport trusts only the JVM's CAs: the HTTP layer is where this one fails.
    assertEquals(ProbeResult.Layer.HTTP, p.failedLayer(), p.toString());
    assertEquals(RegionState.DOWN, r.state());
    Await.result(tls.close());
  }

  @Test
  void aHostNameIsResolvedAndTimed() throws Exception {
    Assumptions.assumeTrue(
        InetAddress.getByName("localhost").getHostAddress().equals("127.0.0.1"),
        "localhost resolves to 127.0.0.1 here");
    SimulatedAnthropic sim = sim(new SimOptions());
    Region r = region("named", "http://localhost:" + sim.port(), List.of(KEY), List.of());
    HealthVerticle health = deploy(new RegionTable(List.of(r)), 60_000, 5000);
    Await.result(health.probeNow());
    assertEquals(RegionState.UP, r.state(), String.valueOf(r.lastProbe()));
    assertTrue(r.lastProbe().dnsMs() >= 0, String.valueOf(r.lastProbe()));
  }
}
