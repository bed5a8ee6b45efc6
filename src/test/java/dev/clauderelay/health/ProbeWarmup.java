package dev.clauderelay.health;

import dev.clauderelay.api.UpstreamRequest;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.transport.RegionTransport;
import dev.clauderelay.transport.TransportOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Map;

/**
 * The first HTTP exchange, TCP connect and TLS handshake of a JVM load (and, under JaCoCo,
 * instrument) hundreds of classes and build the JDK's TLS machinery: done once per JVM, on a
 * throwaway Vert.x, so that no probe's time limit in a test pays for it.
 */
final class ProbeWarmup {
  private static boolean done;

  private ProbeWarmup() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    Vertx warm = Vertx.vertx();
    try {
      SimulatedAnthropic sim = Await.result(SimulatedAnthropic.start(warm, new SimOptions()));
      RegionTransport transport =
          new RegionTransport(
              warm, new TransportOptions(sim.baseUrl(), 5000, 10_000, 10_000, 1, 4, "2023-06-01"));
      Await.result(
          transport
              .send(UpstreamRequest.get("/v1/models", Map.of()), "warm-up", 10_000)
              .response());
      Await.result(sim.close());

      NetServer tls =
          warm.createNetServer(
              new NetServerOptions()
                  .setHost("127.0.0.1")
                  .setPort(0)
                  .setSsl(true)
                  .setKeyCertOptions(TestCert.keyCert()));
      tls.connectHandler(socket -> {});
      int port = Await.result(tls.listen()).actualPort();
      // Held in a variable until closed: Vert.x closes an unreferenced client when it is collected.
      NetClient client = warm.createNetClient();
      NetSocket socket = Await.result(client.connect(port, "127.0.0.1"));
      Await.result(
          socket.upgradeToSsl(
              new ClientSSLOptions()
                  .setTrustOptions(TestCert.trust())
                  .setHostnameVerificationAlgorithm("HTTPS"),
              "localhost"));
      Await.result(socket.close());
      Await.result(client.close());
      Await.result(tls.close());
    } finally {
      Await.result(warm.close());
    }
  }
}
