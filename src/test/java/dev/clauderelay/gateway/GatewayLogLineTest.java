package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clauderelay.engine.Pipeline;
import dev.clauderelay.sim.ScriptedResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request outcome through the gateway: its access log line. The pipeline's own
 * outcome line for the same call goes to DEBUG (the gateway's context says it logs outcomes), so it
 * is still there when asked for.
 */
class GatewayLogLineTest {
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
    h = GatewayHarness.start();
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

  @Test
  void theGatewayAndTheEngineAgreeOnTheContextKey() {
    assertEquals(Pipeline.OUTCOME_LOGGED_BY_CALLER, AccessLog.OUTCOME_LOGGED_BY_CALLER);
  }

  @Test
  void aForwardedCallMakesOneInfoLine() throws InterruptedException {
    clear();
    assertEquals(200, h.post("/v1/messages", GatewayHarness.message("hello")).status());
    assertOneInfoOutcome("POST /v1/messages status=200 ");
  }

  @Test
  void aFailedCallMakesOneInfoLine() throws InterruptedException {
    h.sim.enqueue(ScriptedResponse.error(404, "not_found_error", "no such model"));
    clear();
    assertEquals(404, h.post("/v1/messages", GatewayHarness.message("hello")).status());
    assertOneInfoOutcome("POST /v1/messages status=404 ");
  }

  @Test
  void aStreamedCallMakesOneInfoLine() throws InterruptedException {
    clear();
    GatewayHarness.Reply reply =
        h.post("/v1/messages", GatewayHarness.message("hello").put("stream", true));
    assertEquals(200, reply.status());
    assertTrue(reply.body().toString().contains("event: message_stop"));
    assertOneInfoOutcome("POST /v1/messages status=200 ");
  }

  private void assertOneInfoOutcome(String prefix) throws InterruptedException {
    // The access line is written when the response ended, which may be just after the client read
    // it: wait for it (bounded).
    for (int i = 0; i < 500 && accessLines() == 0; i++) {
      Thread.sleep(10);
    }
    List<ILoggingEvent> events = events();
    List<String> info =
        events.stream()
            .filter(e -> e.getLevel() == Level.INFO)
            .filter(e -> isOutcomeLogger(e.getLoggerName()))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertEquals(1, info.size(), String.join("\n", info));
    assertTrue(info.get(0).startsWith(prefix), info.get(0));
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.getLevel() == Level.DEBUG
                        && e.getLoggerName().startsWith("dev.clauderelay.engine.")
                        && e.getFormattedMessage().startsWith("POST /v1/messages ")),
        "the engine's outcome line is at DEBUG");
  }

  private long accessLines() {
    return events().stream()
        .filter(e -> e.getLoggerName().equals(AccessLog.class.getName()))
        .count();
  }

  private static boolean isOutcomeLogger(String name) {
    return name.equals(AccessLog.class.getName()) || name.startsWith("dev.clauderelay.engine.");
  }

  private void clear() {
    synchronized (appender) {
      appender.list.clear();
    }
  }

  private List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }
}
