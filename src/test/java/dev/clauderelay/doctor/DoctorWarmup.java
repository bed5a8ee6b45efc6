package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clauderelay.health.TestCert;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One full doctor run through TLS and a CONNECT proxy, once per JVM, with a generous time limit:
 * the first TLS handshake and HTTP exchange of a JVM (more so under JaCoCo on a busy machine) load
 * and build so much that a test's short per-layer limit would measure warm-up, not the network.
 */
final class DoctorWarmup {
  private static boolean done;

  private DoctorWarmup() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    Vertx warm = Vertx.vertx();
    try {
      Path dir = Files.createTempDirectory("doctor-warmup");
      SimulatedAnthropic sim = Await.result(SimulatedAnthropic.start(warm, new SimOptions()));
      int tls = Servers.tlsFront(warm, sim.port());
      Servers.ConnectProxy proxy = new Servers.ConnectProxy(warm, null);
      Path ca = Files.writeString(dir.resolve("ca.pem"), TestCert.CERT);
      Path config =
          DoctorRun.config(dir, "https://127.0.0.1:" + tls, "tls: { caFile: \"" + ca + "\" }\n");
      DoctorRun.Outcome o =
          DoctorRun.run(
              Map.of("HTTPS_PROXY", proxy.url()),
              "--config",
              config.toString(),
              "--timeout-ms",
              "30000",
              "--json");
      assertEquals(0, o.exit(), "warm-up run: " + o.all());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Await.result(warm.close());
    }
  }
}
