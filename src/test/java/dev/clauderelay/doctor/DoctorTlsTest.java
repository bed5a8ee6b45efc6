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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS server with a self-signed certificate, untrusted, then trusted through tls.caFile. */
class DoctorTlsTest {
  private static Vertx vertx;
  private static int tlsPort;
  @TempDir Path dir;

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

  private DoctorRun.Outcome doctor(String extraYaml) {
    Path config = DoctorRun.config(dir, "https://127.0.0.1:" + tlsPort, extraYaml);
    return DoctorRun.json(Map.of(), "--config", config.toString(), "--timeout-ms", "5000");
  }

  @Test
  void aSelfSignedCertificateIsAnUntrustedIssuerWithTheCaFileAsFix() {
    DoctorRun.Outcome o = doctor(null);
    assertEquals(1, o.exit(), o.all());
    assertEquals("pass", o.status("local", "tcp"), o.out());
    JsonObject tls = o.check("local", "tls");
    assertEquals("fail", tls.getString("status"), o.out());
    assertTrue(tls.getString("summary").contains("unknown issuer"), tls.encode());
    assertTrue(tls.getString("cause").contains("self-signed"), tls.encode());
    assertTrue(tls.getString("cause").contains("intercepting proxy"), tls.encode());
    assertTrue(tls.getString("fix").contains("caFile"), tls.encode());
    assertEquals("CN=localhost", tls.getJsonObject("details").getString("issuer"));
    assertEquals("skipped: TLS failed", o.check("local", "http").getString("summary"));
  }

  @Test
  void withTheCaInTlsCaFileTheSameServerPasses() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), TestCert.CERT);
    DoctorRun.Outcome o = doctor("tls: { caFile: \"" + ca + "\" }\n");
    assertEquals(0, o.exit(), o.all());
    assertTrue(o.check("local", "ca-bundle").getString("summary").contains("1 certificate"));
    JsonObject tls = o.check("local", "tls");
    assertEquals("pass", tls.getString("status"), o.out());
    assertTrue(tls.getString("summary").contains("host name 127.0.0.1 matches"), tls.encode());
    assertTrue(tls.getJsonObject("details").getString("protocol").startsWith("TLS"));
    assertEquals("pass", o.status("local", "http"), o.out());
  }

  @Test
  void anUnreadableCaFileFailsBeforeAnyConnection() {
    DoctorRun.Outcome o = doctor("tls: { caFile: \"" + dir.resolve("absent.pem") + "\" }\n");
    assertEquals(1, o.exit(), o.all());
    JsonObject ca = o.check("local", "ca-bundle");
    assertEquals("fail", ca.getString("status"), o.out());
    assertTrue(ca.getString("cause").contains("does not exist"), ca.encode());
    assertEquals("skip", o.status("local", "dns"));
  }
}
