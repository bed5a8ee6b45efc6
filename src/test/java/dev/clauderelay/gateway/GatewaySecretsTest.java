package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.testing.Await;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Keys and tokens never leave their place: the client's token never goes upstream, and neither the
 * region's key nor any token shows in logs (every level the relay logs at), {@code /status} or
 * {@code /metrics}.
 */
class GatewaySecretsTest {
  private static final String WRONG = "wrong-token-should-not-be-logged-5f1e";
  private static final List<String> SECRETS =
      List.of(GatewayHarness.TOKEN, GatewayHarness.SECOND_TOKEN, GatewayHarness.REGION_KEY, WRONG);

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger relay = (Logger) LoggerFactory.getLogger("dev.clauderelay");
  private Level relayLevel;
  private GatewayHarness h;

  @BeforeEach
  void start() {
    relayLevel = relay.getLevel();
    relay.setLevel(Level.DEBUG);
    appender.start();
    root.addAppender(appender);
    h = GatewayHarness.withMetrics(GatewayHarness.options());
  }

  @AfterEach
  void stop() {
    try {
      h.close();
    } finally {
      root.detachAppender(appender);
      relay.setLevel(relayLevel);
    }
  }

  private static MessageCreateParams params() {
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-6")
        .maxTokens(16)
        .addUserMessage("secret-free prompt")
        .build();
  }

  @Test
  void noKeyOrTokenInLogsStatusOrMetricsAndNoTokenUpstream() {
    var sdk = h.sdk();
    sdk.messages().create(params());
    try (StreamResponse<RawMessageStreamEvent> stream = sdk.messages().createStreaming(params())) {
      stream.stream().forEach(e -> {});
    }
    h.sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded").header("retry-after", "0"));
    h.sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded").header("retry-after", "0"));
    h.sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded").header("retry-after", "0"));
    h.sim.enqueue(
        ScriptedResponse.error(529, "overloaded_error", "Overloaded").header("retry-after", "0"));
    assertThrows(OverloadedException.class, () -> sdk.messages().create(params()));
    assertThrows(
        UnauthorizedException.class, () -> h.sdk(b -> b.apiKey(WRONG)).messages().create(params()));
    h.call(HttpMethod.GET, "/v1/models", Map.of("authorization", "Bearer " + WRONG), null);
    String status = h.call(HttpMethod.GET, "/status", Map.of(), null).body().toString();
    String metrics = h.call(HttpMethod.GET, "/metrics", Map.of(), null).body().toString();

    for (String secret : SECRETS) {
      assertFalse(status.contains(secret), "/status shows a secret: " + status);
      assertFalse(metrics.contains(secret), "/metrics shows a secret");
      for (String line : logLines()) {
        assertFalse(line.contains(secret), "a log line holds a secret: " + line);
      }
    }
    assertTrue(metrics.contains("anthropic_requests_total"), "metrics are served");
    for (RecordedRequest upstream : h.sim.requests()) {
      for (var header : upstream.headers().entrySet()) {
        for (String value : header.getValue()) {
          for (String token : List.of(GatewayHarness.TOKEN, GatewayHarness.SECOND_TOKEN, WRONG)) {
            assertFalse(value.contains(token), "upstream saw a client token in " + header.getKey());
          }
        }
      }
    }
  }

  @Test
  void eachRequestOutcomeIsOneLogLineWithItsRequestId() {
    h.sdk().messages().create(params());
    // The line is written when the response has ended, which may be just after the client read
    // it: wait for it (bounded), then make sure no second one follows.
    List<String> lines = messageLines();
    for (int i = 0; i < 100 && lines.isEmpty(); i++) {
      Await.result(h.vertx.timer(10));
      lines = messageLines();
    }
    Await.result(h.vertx.timer(50));
    lines = messageLines();
    String upstreamId =
        h.sim.requests().stream()
            .filter(r -> r.path().equals("/v1/messages"))
            .map(r -> r.requestId())
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(1, lines.size(), String.join("\n", accessLines()));
    String line = lines.get(0);
    assertTrue(line.startsWith("POST /v1/messages status=200 "), line);
    assertTrue(line.contains("region=anthropic"), line);
    assertTrue(line.contains("attempts=1"), line);
    assertTrue(line.contains("latencyMs="), line);
    assertTrue(line.contains("request-id=req_"), line + " (upstream said " + upstreamId + ")");
  }

  private List<String> messageLines() {
    return accessLines().stream().filter(l -> l.startsWith("POST /v1/messages ")).toList();
  }

  /** The gateway's outcome lines (the pipeline logs a line of its own per call). */
  private List<String> accessLines() {
    synchronized (appender) {
      return List.copyOf(appender.list).stream()
          .filter(e -> e.getLoggerName().equals(AccessLog.class.getName()))
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  private List<String> logLines() {
    List<String> lines = new ArrayList<>();
    synchronized (appender) {
      for (ILoggingEvent e : List.copyOf(appender.list)) {
        if (!e.getLoggerName().equals(AccessLog.class.getName())
            && !e.getLoggerName().startsWith("dev.clauderelay")
            && !e.getLevel().isGreaterOrEqual(Level.WARN)) {
          continue;
        }
        StringBuilder sb = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
          sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
          for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
            sb.append(' ').append(frame.getSTEAsString());
          }
        }
        lines.add(sb.toString());
      }
    }
    return lines;
  }
}
