package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve}'s {@code /metrics}: Vert.x's own meters (through {@code MicrometerMetricsFactory})
 * and the relay's in one scrape, with bounded labels and no secret.
 */
class ServeMetricsTest {
  private static final String TOKEN = "metrics-test-token-5e81c2";
  private static final String REGION_KEY = "sk-ant-metrics-key-0c4d7b9a";

  @TempDir Path dir;
  private Vertx vertx;
  private HttpClient http;
  private SimulatedAnthropic sim;
  private ServeCommand command;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  @AfterEach
  void stop() {
    if (command != null) {
      command.stop();
    }
    Await.result(sim.close());
    Await.result(vertx.close());
  }

  private int serve() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "gateway: { host: 127.0.0.1, port: 0, tokens: [\""
            + TOKEN
            + "\"] }\nregions:\n  - name: sim\n    baseUrl: \""
            + sim.baseUrl()
            + "\"\n    apiKeys: [\""
            + REGION_KEY
            + "\"]\nrateLimit: { requestsPerMinute: 6000 }\nhealth: { intervalMs: 60000 }\n"
            + "degrade: { maxPendingTasks: 0 }\n");
    command = new ServeCommand().environment(Map.of());
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(command)
            .setOut(new PrintWriter(new StringWriter(), true))
            .setErr(new PrintWriter(err, true))
            .execute("--config", config.toString());
    assertEquals(0, code, err.toString());
    return command.port();
  }

  private Reply call(int port, HttpMethod method, String path, String body) {
    RequestOptions options =
        new RequestOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setMethod(method)
            .setURI(path)
            .putHeader("x-api-key", TOKEN)
            .putHeader("content-type", "application/json");
    return Await.result(
        http.request(options)
            .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
            .compose(
                (HttpClientResponse resp) ->
                    resp.body().map(b -> new Reply(resp.statusCode(), b.toString()))));
  }

  private record Reply(int status, String body) {}

  @Test
  void metricsHoldVertxMetersAndTheRelaysWithBoundedLabelsAndNoSecret() throws IOException {
    int port = serve();
    String message =
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"metrics\"}]}";
    assertEquals(200, call(port, HttpMethod.POST, "/v1/messages", message).status());
    // Paths a client chooses, and a method outside the standard set, must not become labels.
    for (int i = 0; i < 5; i++) {
      assertEquals(404, call(port, HttpMethod.GET, "/probe-" + i + "?q=" + i, null).status());
    }
    assertEquals(
        405, call(port, HttpMethod.valueOf("BREW"), "/v1/messages", message).status(), "BREW");

    Reply metrics = call(port, HttpMethod.GET, "/metrics", null);
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
