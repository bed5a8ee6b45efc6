package dev.clauderelay.doctor;

import static dev.clauderelay.doctor.DoctorRun.KEY;
import static dev.clauderelay.doctor.DoctorRun.KEY_BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted answers to GET /v1/models and the diagnosis each gets. */
class DoctorHttpTest {
  private static Vertx vertx;
  private static SimulatedAnthropic sim;
  @TempDir Path dir;
  private Path config;

  @BeforeAll
  static void startSim() {
    DoctorWarmup.once();
    vertx = Vertx.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions()));
  }

  @AfterAll
  static void stopSim() {
    Await.result(vertx.close());
  }

  @BeforeEach
  void configure() {
    sim.clearScript();
    config = DoctorRun.config(dir, sim.baseUrl(), null);
  }

  private DoctorRun.Outcome doctor() {
    return DoctorRun.json(Map.of(), "--config", config.toString(), "--timeout-ms", "5000");
  }

  private static void assertSkippedAfter(DoctorRun.Outcome o, String failedTitle) {
    for (String later : List.of("rate-limit", "clock", "latency")) {
      JsonObject check = o.check("local", later);
      assertEquals("skip", check.getString("status"), later);
      assertEquals("skipped: " + failedTitle + " failed", check.getString("summary"));
    }
  }

  @Test
  void aHealthyUpstreamPassesWithExitZero() {
    DoctorRun.Outcome o = doctor();
    assertEquals(0, o.exit(), o.all());
    assertEquals("pass", o.status("local", "http"), o.out());
    assertTrue(o.check("local", "http").getString("summary").contains("request-id req_"), o.out());
    assertEquals("skip", o.status("local", "tls"), "plain http: no TLS layer");
    assertEquals("pass", o.status("local", "latency"));
    assertEquals(
        DoctorRun.FINGERPRINT,
        o.check("local", "api-key").getJsonObject("details").getString("fingerprint"));
    assertFalse(o.all().contains(KEY_BODY), o.all());
  }

  @Test
  void unauthorizedMeansKeyInvalidOrRevokedWithTheRequestId() {
    // The body echoes the key, as some proxies do: it must still not be shown.
    sim.enqueue(
        ScriptedResponse.error(401, "authentication_error", "invalid x-api-key: " + KEY)
            .onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    JsonObject http = o.check("local", "http");
    assertEquals("fail", http.getString("status"));
    assertTrue(http.getString("cause").contains("invalid or revoked"), http.encode());
    assertTrue(http.getString("summary").contains("request-id req_"), http.encode());
    assertTrue(http.getString("cause").contains(DoctorRun.FINGERPRINT), http.encode());
    assertTrue(http.getString("fix").contains("console.anthropic.com"), http.encode());
    assertSkippedAfter(o, "HTTP + auth");
    assertFalse(o.all().contains(KEY_BODY), o.all());

    sim.enqueue(
        ScriptedResponse.error(401, "authentication_error", "invalid x-api-key: " + KEY)
            .onlyFor("/v1/models"));
    DoctorRun.Outcome text =
        DoctorRun.run(Map.of(), "--config", config.toString(), "--timeout-ms", "5000");
    assertEquals(1, text.exit(), text.all());
    assertTrue(text.out().contains("cause: the key sk-ant-"), text.out());
    assertFalse(text.all().contains(KEY_BODY), text.all());
  }

  @Test
  void forbiddenMeansPermissionOrRegion() {
    sim.enqueue(
        ScriptedResponse.error(403, "permission_error", "not allowed").onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    JsonObject http = o.check("local", "http");
    assertTrue(http.getString("summary").contains("403 permission_error"), http.encode());
    assertTrue(http.getString("cause").contains("lacks permission"), http.encode());
    assertTrue(http.getString("cause").contains("region"), http.encode());
    assertTrue(http.getJsonObject("details").getString("requestId").startsWith("req_"));
  }

  @Test
  void notFoundMeansAWrongBasePath() {
    sim.enqueue(ScriptedResponse.error(404, "not_found_error", "Not found").onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    JsonObject http = o.check("local", "http");
    assertTrue(http.getString("cause").contains("base URL's path is wrong"), http.encode());
    assertTrue(http.getString("fix").contains("no /v1"), http.encode());
    assertTrue(http.getString("summary").contains("request-id req_"), http.encode());
  }

  @Test
  void tooManyRequestsSaysWhenTheLimitResets() {
    sim.enqueue(
        ScriptedResponse.error(429, "rate_limit_error", "slow down")
            .header("retry-after", "30")
            .onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    JsonObject http = o.check("local", "http");
    assertTrue(http.getString("cause").contains("rate limited"), http.encode());
    assertTrue(
        http.getString("cause").matches(".*resets at \\S+ \\(in 3\\d s\\).*"), http.encode());
    assertTrue(http.getString("summary").contains("request-id req_"), http.encode());
  }

  @Test
  void overloadedIsTheProviderSide() {
    sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded").onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    assertTrue(o.check("local", "http").getString("cause").contains("provider side"), o.out());
  }

  @Test
  void headroomClockAndLatencyComeFromTheAnswer() {
    sim.enqueue(
        ScriptedResponse.status(200)
            .json(new JsonObject().put("data", new io.vertx.core.json.JsonArray()))
            .header("date", "Mon, 01 Jan 2001 00:00:00 GMT")
            .header("anthropic-ratelimit-requests-limit", "50")
            .header("anthropic-ratelimit-requests-remaining", "2")
            .header("anthropic-ratelimit-requests-reset", "2030-01-01T00:00:00Z")
            .onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(0, o.exit(), "warnings do not fail: " + o.all());
    assertEquals("warn", o.status("local", "rate-limit"), o.out());
    assertTrue(o.check("local", "rate-limit").getString("summary").contains("requests 2/50"));
    assertEquals("warn", o.status("local", "clock"), o.out());
    assertTrue(o.check("local", "clock").getString("summary").contains("ahead of"), o.out());
  }

  @Test
  void aTwoHundredThatIsNotAModelListFails() {
    sim.enqueue(
        ScriptedResponse.status(200)
            .body("text/html", "<html>Welcome to the hotel wifi</html>")
            .onlyFor("/v1/models"));
    DoctorRun.Outcome o = doctor();
    assertEquals(1, o.exit(), o.all());
    assertTrue(o.check("local", "http").getString("cause").contains("captive portal"), o.out());
  }
}
