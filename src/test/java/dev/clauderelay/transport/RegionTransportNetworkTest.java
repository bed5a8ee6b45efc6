package dev.clauderelay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport takes its proxy from the shared network settings, or refuses to start. */
class RegionTransportNetworkTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private static TransportOptions options(String baseUrl) {
    return new TransportOptions(baseUrl, 1000, 1000, 1000, 1, 1, "2023-06-01");
  }

  private static NetworkSettings env(String... pairs) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return NetworkSettings.of(null, null, map);
  }

  @Test
  void theOriginalConstructorIsDirect() {
    RegionTransport t = new RegionTransport(vertx, options("https://api.anthropic.com"));
    assertTrue(t.proxy().direct());
    Await.result(t.close());
  }

  @Test
  void httpsProxyAppliesUnlessNoProxyMatches() {
    NetworkSettings network = env("HTTPS_PROXY", "http://proxy.corp:3128", "NO_PROXY", ".internal");
    RegionTransport viaProxy =
        new RegionTransport(vertx, options("https://api.anthropic.com"), network);
    assertEquals("proxy.corp", viaProxy.proxy().proxy().host());
    RegionTransport direct = new RegionTransport(vertx, options("https://gw.internal"), network);
    assertTrue(direct.proxy().direct());
    assertEquals(".internal", direct.proxy().bypassedBy());
    Await.result(viaProxy.close());
    Await.result(direct.close());
  }

  @Test
  void anUnusableProxyStopsTheStartInsteadOfGoingDirect() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RegionTransport(
                    vertx,
                    options("https://api.anthropic.com"),
                    env("HTTPS_PROXY", "https://u:secret@proxy:443")));
    assertTrue(e.getMessage().contains("HTTPS_PROXY"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }
}
