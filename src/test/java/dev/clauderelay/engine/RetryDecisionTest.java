package dev.clauderelay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.error.ApiException;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import dev.clauderelay.api.error.MalformedResponseException;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryDecisionTest {

  @ParameterizedTest(name = "{0} x-should-retry={1} code={2} -> retry={3} ({4})")
  @CsvSource(
      nullValues = "-",
      value = {
        // every status of anthropic-api.md
        "400, -, -, false, client_error",
        "401, -, -, false, client_error",
        "402, -, -, false, client_error",
        "403, -, -, false, client_error",
        "404, -, -, false, client_error",
        "408, -, -, true, request_timeout",
        "409, -, -, true, conflict",
        "413, -, -, false, client_error",
        "422, -, -, false, client_error",
        "429, -, -, true, rate_limited",
        "429, -, enforced_spend_limit_reached, false, spend_limit",
        "429, -, some_future_code, true, rate_limited",
        "500, -, -, true, server_error",
        "502, -, -, true, server_error",
        "503, -, -, true, server_error",
        "504, -, -, true, server_error",
        "529, -, -, true, overloaded",
        // x-should-retry decides whatever the status
        "503, false, -, false, should_not_retry_header",
        "529, FALSE, -, false, should_not_retry_header",
        "400, true, -, true, should_retry_header",
        "401, ' True ', -, true, should_retry_header",
        "429, true, enforced_spend_limit_reached, true, should_retry_header",
        // an unrecognised header value is ignored
        "503, maybe, -, true, server_error",
        "400, maybe, -, false, client_error",
      })
  void responseTable(int status, String header, String code, boolean retry, String reason) {
    assertEquals(
        new RetryDecision.Outcome(retry, reason), RetryDecision.forResponse(status, header, code));
  }

  @ParameterizedTest(name = "{0} -> retry={1}")
  @CsvSource({
    "refused, true, connection",
    "dns, true, connection",
    "closed, true, connection",
    "tls, false, tls",
    "connect-timeout, true, timeout",
    "headers-timeout, true, timeout",
    "body-timeout, false, timeout_after_response",
    "deadline, false, deadline",
    "malformed, false, not_retryable",
    "bug, false, not_retryable",
    "api-529, true, overloaded",
    "api-spend, false, spend_limit",
    "api-503-no-retry, false, should_not_retry_header",
  })
  void failureTable(String failure, boolean retry, String reason) {
    assertEquals(
        new RetryDecision.Outcome(retry, reason), RetryDecision.forFailure(failure(failure)));
  }

  private static Throwable failure(String name) {
    return switch (name) {
      case "refused" -> new ConnectionException(ConnectionException.Kind.REFUSED, "x", null);
      case "dns" -> new ConnectionException(ConnectionException.Kind.DNS, "x", null);
      case "closed" -> new ConnectionException(ConnectionException.Kind.CLOSED, "x", null);
      case "tls" -> new ConnectionException(ConnectionException.Kind.TLS, "x", null);
      case "connect-timeout" ->
          new ClaudeTimeoutException(ClaudeTimeoutException.Phase.CONNECT, "x");
      case "headers-timeout" ->
          new ClaudeTimeoutException(ClaudeTimeoutException.Phase.RESPONSE_HEADERS, "x");
      case "body-timeout" -> new ClaudeTimeoutException(ClaudeTimeoutException.Phase.BODY, "x");
      case "deadline" -> new ClaudeTimeoutException(ClaudeTimeoutException.Phase.DEADLINE, "x");
      case "malformed" -> new MalformedResponseException("x", "req_1", null);
      case "bug" -> new IllegalStateException("x");
      case "api-529" ->
          api(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}", Map.of());
      case "api-spend" ->
          api(
              429,
              "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"details\":"
                  + "{\"error_code\":\"enforced_spend_limit_reached\"}}}",
              Map.of());
      case "api-503-no-retry" -> api(503, "oops", Map.of("x-should-retry", "false"));
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static ApiException api(int status, String body, Map<String, String> headers) {
    return ApiException.of(
        status, ErrorBody.parse(Buffer.buffer(body)), new HashMap<>(headers), null);
  }
}
