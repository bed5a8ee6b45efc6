package dev.clauderelay.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(3, new Backoff(500, 8000), 60_000, 600_000);

  @ParameterizedTest(name = "{0} retryAfterMs={1} retriesSoFar={2} left={3} -> {4} {5}")
  @CsvSource(
      nullValues = "-",
      value = {
        // status, retry-after ms, retries so far, ms left before deadline, retry?, delay
        "529, -, 0, 600000, true, 500",
        "529, -, 1, 600000, true, 1000",
        "529, -, 2, 600000, true, 2000",
        "529, -, 3, 600000, false, 0",
        "429, 2000, 0, 600000, true, 2000",
        "429, 60000, 0, 600000, true, 60000",
        "429, 60001, 0, 600000, false, 60001",
        "429, 2000, 0, 1999, false, 2000",
        "529, -, 0, 499, false, 500",
        "400, -, 0, 600000, false, 0",
        "400, 1000, 0, 600000, false, 0",
      })
  void table(int status, Long retryAfterMs, int retries, long left, boolean retry, long delay) {
    ApiException failure =
        ApiException.of(
            status,
            ErrorBody.parse(Buffer.buffer("{}")),
            Map.of(),
            retryAfterMs == null ? null : Duration.ofMillis(retryAfterMs));
    RetryPolicy.Plan plan = policy.plan(failure, retries, 1_000, 1_000 + left, 0.0);
    assertEquals(retry, plan.retry());
    assertEquals(delay, plan.delayMs());
    if (retry || status == 400) {
      assertNull(plan.stopNote());
    } else {
      assertTrue(plan.stopNote() != null && !plan.stopNote().isBlank());
    }
  }
}
