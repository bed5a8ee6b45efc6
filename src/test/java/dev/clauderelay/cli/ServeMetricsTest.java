package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s {@code /metrics}: Vert.x's own meters (through {@code MicrometerMetricsFactory})
 * and the relay's in one scrape, with bounded labels and no secret.
 */
class ServeMetricsTest {
  private static final String TOKEN = "metrics-test-token-5e81c2";
  private static final String REGION_KEY = FakeKeys.SK_ANT + "FAKE-metrics-key-0c4d7b9a";

  @TempDir Path dir;
  private ServeRun serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void metricsHoldVertxMetersAndTheRelaysWithBoundedLabelsAndNoSecret() throws IOException {
    serve = ServeRun.start(dir, TOKEN, REGION_KEY, "rateLimit: { requestsPerMinute: 6000 }\n");
    String message =
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"metrics\"}]}";
    assertEquals(200, serve.call(HttpMethod.POST, "/v1/messages", message).status());
    // Paths a client chooses, and a method outside the standard set, must not become labels.
    for (int i = 0; i < 5; i++) {
      assertEquals(404, serve.call(HttpMethod.GET, "/probe-" + i + "?q=" + i, null).status());
    }
    assertEquals(
        405, serve.call(HttpMethod.valueOf("BREW"), "/v1/messages", message).status(), "BREW");

    ServeRun.Reply metrics = serve.call(HttpMethod.GET, "/metrics", null);
    assertEquals(200, metrics.status());
    String text = metrics.body();

    assertTrue(
        Pattern.compile(
                "(?m)^vertx_http_server_requests_total\\{[^}]*code=\"200\"[^}]*method=\"POST\"")
            .matcher(text)
            .find(),
        "Vert.x's HTTP server meter:\n" + text);
    assertFalse(
        Pattern.compile("(?m)^vertx_(http|net)_client_").matcher(text).find(),
        "Vert.x's client meters are off: anthropic_requests_total counts the upstream side");
    assertTrue(
        Pattern.compile(
                "(?m)^anthropic_requests_total\\{[^}]*endpoint=\"/v1/messages\""
                    + "[^}]*region=\"sim\"[^}]*status_code=\"200\"")
            .matcher(text)
            .find(),
        "the relay's meter");
    assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters");
    assertTrue(text.contains("vertx_eventbus_processed_total"), "event-bus meters");

    assertFalse(text.contains("BREW"), "an unknown method is counted as other");
    assertTrue(text.contains("method=\"other\""), text);
    assertFalse(text.contains("probe-"), "no path label");
    Set<String> vertxLabels = labelNames(text, "vertx_");
    vertxLabels.retainAll(FORBIDDEN);
    assertEquals(Set.of(), vertxLabels, "high-cardinality labels on Vert.x meters");

    for (String secret : List.of(TOKEN, REGION_KEY)) {
      assertFalse(text.contains(secret), "a secret in /metrics");
    }
  }

  private static final Set<String> FORBIDDEN =
      Set.of("path", "route", "remote", "local", "address", "http_path", "http_route");

  /** Every label name used by a series whose name starts with {@code prefix}. */
  private static Set<String> labelNames(String scrape, String prefix) {
    Set<String> names = new TreeSet<>();
    Matcher series =
        Pattern.compile("(?m)^" + Pattern.quote(prefix) + "\\w*\\{([^}]*)\\}").matcher(scrape);
    Pattern label = Pattern.compile("(\\w+)=\"(?:[^\"\\\\]|\\\\.)*\"");
    while (series.find()) {
      Matcher m = label.matcher(series.group(1));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
