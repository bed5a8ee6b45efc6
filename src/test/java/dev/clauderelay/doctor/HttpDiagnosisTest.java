package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each answer to GET /v1/models and its diagnosis, by table. */
class HttpDiagnosisTest {
  private static final String URL = "https://api.anthropic.com/v1/models?limit=1";

  private static UpstreamResponse answer(int status, String type, String requestId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (requestId != null) {
      headers.add("request-id", requestId);
    }
    Buffer body =
        status < 300
            ? Buffer.buffer("{\"data\":[{\"id\":\"m\"}]}")
            : ErrorBody.toWire(type, "the message", null).toBuffer();
    return new UpstreamResponse(status, headers, body);
  }

  @ParameterizedTest(name = "[{index}] {0} → {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // status | error.type            | status | words in summary + cause + fix
        "200      | null                  | PASS   | key accepted, 1 model(s)",
        "401      | authentication_error  | FAIL   | invalid or revoked",
        "402      | billing_error         | FAIL   | Billing",
        "403      | permission_error      | FAIL   | lacks permission",
        "404      | not_found_error       | FAIL   | base URL's path is wrong",
        "407      | null                  | FAIL   | proxy wants credentials",
        "429      | rate_limit_error      | FAIL   | rate limited",
        "500      | api_error             | FAIL   | provider",
        "529      | overloaded_error      | FAIL   | provider side",
        "503      | null                  | FAIL   | provider",
        "400      | invalid_request_error | FAIL   | anthropic-version",
        "301      | null                  | FAIL   | does not follow redirects",
        "418      | null                  | FAIL   | unexpected",
      })
  void diagnoses(int status, String type, CheckStatus expected, String words) {
    CheckResult r = HttpDiagnosis.of(answer(status, type, "req_0123"), URL, "sk-ant-…abcd", 0);
    assertEquals(expected, r.status(), r.toJson().encode());
    String text = r.summary() + " " + r.cause() + " " + r.fix();
    assertTrue(text.contains(words), text);
    assertTrue(r.summary().contains("request-id req_0123"), r.summary());
    assertEquals("req_0123", r.details().getString("requestId"));
    assertEquals(status, r.details().getInteger("status"));
  }

  @Test
  void withoutARequestIdA403IsBlamedOnWhatAnswered() {
    CheckResult r = HttpDiagnosis.of(answer(403, null, null), URL, "k", 0);
    assertTrue(r.summary().contains("no request-id"), r.summary());
    assertTrue(r.cause().contains("something other than the API"), r.cause());
  }

  @Test
  void theRequestIdOfTheBodyIsUsedWhenTheHeaderIsMissing() {
    UpstreamResponse resp =
        new UpstreamResponse(
            401,
            MultiMap.caseInsensitiveMultiMap(),
            ErrorBody.toWire("authentication_error", "bad", "req_body").toBuffer());
    assertTrue(HttpDiagnosis.of(resp, URL, "k", 0).summary().contains("request-id req_body"));
  }

  @Test
  void aSpendLimitIsNotWaitedOut() {
    UpstreamResponse resp =
        new UpstreamResponse(
            429,
            MultiMap.caseInsensitiveMultiMap(),
            Buffer.buffer(
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"cap\","
                    + "\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}"));
    CheckResult r = HttpDiagnosis.of(resp, URL, "k", 0);
    assertTrue(r.summary().contains("spend limit"), r.summary());
  }

  @Test
  void failuresWithoutAnAnswer() {
    CheckResult stalled =
        HttpDiagnosis.failed(
            new ClaudeTimeoutException(ClaudeTimeoutException.Phase.RESPONSE_HEADERS, "x"),
            URL,
            800);
    assertTrue(stalled.summary().contains("no answer within 800 ms"), stalled.summary());
    CheckResult closed =
        HttpDiagnosis.failed(
            new ConnectionException(ConnectionException.Kind.CLOSED, "closed", null), URL, 800);
    assertTrue(closed.fix().contains("cuts requests"), closed.fix());
  }
}
