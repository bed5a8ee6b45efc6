package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.health.TestCert;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS_PROXY is used (a CONNECT proxy in the test counts its tunnels), NO_PROXY bypasses it. */
class DoctorProxyTest {
  private static Vertx vertx;
  private static int tlsPort;
  @TempDir Path dir;
  private Path config;

  @BeforeAll
  static void start() {
    DoctorWarmup.once();
    vertx = Vertx.vertx();
    SimulatedAnthropic sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions()));
    tlsPort = Servers.tlsFront(vertx, sim.port());
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @BeforeEach
  void configure() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), TestCert.CERT);
    config =
        DoctorRun.config(dir, "https://127.0.0.1:" + tlsPort, "tls: { caFile: \"" + ca + "\" }\n");
  }

  private DoctorRun.Outcome doctor(Map<String, String> env) {
    return DoctorRun.json(env, "--config", config.toString(), "--timeout-ms", "5000");
  }

  @Test
  void httpsProxyFromTheEnvironmentCarriesEveryConnection() {
    Servers.ConnectProxy proxy = new Servers.ConnectProxy(vertx, null);
    DoctorRun.Outcome o = doctor(Map.of("HTTPS_PROXY", proxy.url()));
    assertEquals(0, o.exit(), o.all());
    JsonObject check = o.check("local", "proxy");
    assertTrue(check.getString("summary").contains("from HTTPS_PROXY"), check.encode());
    assertTrue(o.check("local", "tcp").getString("summary").contains("tunnel to"), o.out());
    // One tunnel for the TCP/TLS checks, one for the HTTP request.
    assertEquals(2, proxy.tunnels.get(), proxy.targets.toString());
    assertTrue(proxy.targets.stream().allMatch(t -> t.equals("127.0.0.1:" + tlsPort)));
  }

  @Test
  void noProxyBypassesIt() {
    Servers.ConnectProxy proxy = new Servers.ConnectProxy(vertx, null);
    DoctorRun.Outcome o =
        doctor(Map.of("HTTPS_PROXY", proxy.url(), "NO_PROXY", "localhost,127.0.0.1"));
    assertEquals(0, o.exit(), o.all());
    assertTrue(
        o.check("local", "proxy").getString("summary").contains("entry \"127.0.0.1\""), o.out());
    assertEquals(0, proxy.tunnels.get(), proxy.targets.toString());
  }

  @Test
  void aProxyThatRefusesTheTunnelIsNamed() {
    Servers.ConnectProxy proxy = new Servers.ConnectProxy(vertx, 403);
    DoctorRun.Outcome o = doctor(Map.of("https_proxy", proxy.url()));
    assertEquals(1, o.exit(), o.all());
    JsonObject tcp = o.check("local", "tcp");
    assertEquals("fail", tcp.getString("status"), o.out());
    assertTrue(tcp.getString("summary").contains("refused to tunnel"), tcp.encode());
    assertTrue(tcp.getString("cause").contains("403"), tcp.encode());
  }

  @Test
  void aProxyNobodyListensOnIsRefused() {
    DoctorRun.Outcome o =
        doctor(Map.of("HTTPS_PROXY", "http://127.0.0.1:" + Servers.closed(vertx)));
    assertEquals(1, o.exit(), o.all());
    JsonObject tcp = o.check("local", "tcp");
    assertTrue(tcp.getString("summary").contains("the proxy"), tcp.encode());
    assertTrue(tcp.getString("summary").contains("refused"), tcp.encode());
  }
}
