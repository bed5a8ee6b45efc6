package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS, TCP and silent-server failures, each reproduced on this machine without a network. */
class DoctorNetworkTest {
  /** Short: these tests wait for timeouts on purpose. */
  private static final String TIMEOUT_MS = "1500";

  private static Vertx vertx;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    DoctorWarmup.once();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private DoctorRun.Outcome doctor(String baseUrl) {
    Path config = DoctorRun.config(dir, baseUrl, null);
    return DoctorRun.json(Map.of(), "--config", config.toString(), "--timeout-ms", TIMEOUT_MS);
  }

  private static void assertSkippedFrom(DoctorRun.Outcome o, String firstSkipped, String title) {
    List<String> order = List.of("dns", "tcp", "tls", "http", "rate-limit", "clock", "latency");
    for (String id : order.subList(order.indexOf(firstSkipped), order.size())) {
      assertEquals("skipped: " + title + " failed", o.check("local", id).getString("summary"));
    }
  }

  @Test
  void anUnresolvableHostIsADnsDiagnosis() {
    DoctorRun.Outcome o = doctor("https://api.anthropic.invalid");
    assertEquals(1, o.exit(), o.all());
    JsonObject dns = o.check("local", "dns");
    assertEquals("fail", dns.getString("status"), o.out());
    assertTrue(dns.getString("summary").contains("does not resolve"), dns.encode());
    assertTrue(dns.getString("cause").contains("UnknownHostException"), dns.encode());
    assertTrue(dns.getString("fix").contains("never resolve"), dns.encode());
    assertSkippedFrom(o, "tcp", "DNS");
  }

  @Test
  void aClosedPortIsConnectionRefused() {
    DoctorRun.Outcome o = doctor("http://127.0.0.1:" + Servers.closed(vertx));
    assertEquals(1, o.exit(), o.all());
    JsonObject tcp = o.check("local", "tcp");
    assertEquals("fail", tcp.getString("status"), o.out());
    assertTrue(tcp.getString("summary").contains("refused the connection"), tcp.encode());
    assertTrue(tcp.getString("fix").contains("port"), tcp.encode());
    assertEquals("pass", o.status("local", "dns"));
    assertSkippedFrom(o, "tls", "TCP");
  }

  @Test
  void aPortThatNeverAnswersTheConnectTimesOutLikeAFirewall() throws Exception {
    try (FullBacklog blackhole = new FullBacklog()) {
      DoctorRun.Outcome o = doctor("https://127.0.0.1:" + blackhole.port());
      assertEquals(1, o.exit(), o.all());
      JsonObject tcp = o.check("local", "tcp");
      assertEquals("fail", tcp.getString("status"), o.out());
      assertTrue(tcp.getString("summary").contains("timed out after 1500 ms"), tcp.encode());
      assertTrue(tcp.getString("summary").contains("likely a firewall"), tcp.encode());
      assertTrue(tcp.getString("fix").contains("HTTPS_PROXY"), tcp.encode());
    }
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOutAtTls() {
    DoctorRun.Outcome o = doctor("https://127.0.0.1:" + Servers.silent(vertx));
    assertEquals(1, o.exit(), o.all());
    assertEquals("pass", o.status("local", "tcp"), o.out());
    JsonObject tls = o.check("local", "tls");
    assertEquals("fail", tls.getString("status"), o.out());
    assertTrue(tls.getString("summary").contains("no TLS answer"), tls.encode());
    assertEquals("TIMED_OUT", tls.getJsonObject("details").getString("failure"));
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOutAtHttp() {
    DoctorRun.Outcome o = doctor("http://127.0.0.1:" + Servers.silent(vertx));
    assertEquals(1, o.exit(), o.all());
    JsonObject http = o.check("local", "http");
    assertEquals("fail", http.getString("status"), o.out());
    assertTrue(http.getString("summary").contains("no answer within 1500 ms"), http.encode());
    assertTrue(http.getString("cause").contains("never answered"), http.encode());
  }
}
