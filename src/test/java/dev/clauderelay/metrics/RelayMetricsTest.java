package dev.clauderelay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayMetricsTest {

  @Test
  void prometheusNamesAreDesignsNames() {
    RelayMetrics metrics = RelayMetrics.prometheus();
    metrics.attempt("POST", "/v1/messages", 200, "eu", 1_000_000);
    metrics.retry("eu", "overloaded");
    metrics.region("eu", () -> "OPEN", () -> 0, () -> 0.12, () -> 41);
    metrics.tokens(10, 20);
    metrics.streamInterrupted("cut");
    metrics.overhead(50_000);
    metrics.cache("hit");
    metrics.degraded("stale-cache");
    metrics.pendingTasks(() -> 3);
    String text = metrics.scrape();
    for (String name :
        List.of(
            "anthropic_requests_total{endpoint=\"/v1/messages\",method=\"POST\",region=\"eu\","
                + "status_code=\"200\"} 1.0",
            "anthropic_request_latency_seconds_bucket{endpoint=\"/v1/messages\",method=\"POST\","
                + "region=\"eu\",le=",
            "anthropic_retries_total{reason=\"overloaded\",region=\"eu\"} 1.0",
            "anthropic_circuit_state{region=\"eu\",state=\"OPEN\"} 1.0",
            "anthropic_circuit_state{region=\"eu\",state=\"CLOSED\"} 0.0",
            "anthropic_region_up{region=\"eu\"} 0.0",
            "anthropic_region_probe_latency_seconds{region=\"eu\"} 0.12",
            "anthropic_ratelimit_remaining{kind=\"requests\",region=\"eu\"} 41.0",
            "anthropic_tokens_total{direction=\"output\"} 20.0",
            "anthropic_stream_interrupted_total{reason=\"cut\"} 1.0",
            "relay_overhead_seconds_count 1",
            "anthropic_cache_requests_total{result=\"hit\"} 1.0",
            "anthropic_degraded_total{level=\"stale-cache\"} 1.0",
            "anthropic_pending_tasks 3.0")) {
      assertTrue(text.contains(name), name + " missing in\n" + text);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "/v1/messages, /v1/messages",
    "/v1/messages/count_tokens, /v1/messages/count_tokens",
    "/v1/models, /v1/models",
    "/v1/models/claude-x, other",
    "/../../etc/passwd, other"
  })
  void endpointLabelsAreBounded(String path, String label) {
    assertEquals(label, RelayMetrics.endpoint(path));
  }

  @Test
  void unknownStatusIsNone() {
    RelayMetrics metrics = RelayMetrics.prometheus();
    metrics.attempt("GET", "/v1/models", 0, "eu", 1);
    assertTrue(metrics.scrape().contains("status_code=\"none\""));
    assertFalse(metrics.scrape().contains("status_code=\"0\""));
  }
}
