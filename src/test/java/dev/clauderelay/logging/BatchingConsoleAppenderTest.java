package dev.clauderelay.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("test");
  private final Output out = new Output();
  private BatchingConsoleAppender appender;

  /** Counts write calls: a batch is one. */
  private static final class Output extends ByteArrayOutputStream {
    final List<Integer> writes = new ArrayList<>();

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(len);
      super.write(b, off, len);
    }

    synchronized String text() {
      return toString(StandardCharsets.UTF_8);
    }

    synchronized int writeCount() {
      return writes.size();
    }
  }

  @BeforeEach
  void start() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    appender = appender(1000, 8192);
  }

  @AfterEach
  void stop() {
    appender.stop();
  }

  private BatchingConsoleAppender appender(long maxDelayMs, int queueSize) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    BatchingConsoleAppender a = new BatchingConsoleAppender();
    a.setContext(context);
    a.setName("test");
    a.setEncoder(encoder);
    a.setMaxDelayMs(maxDelayMs);
    a.setQueueSize(queueSize);
    a.setOutput(out);
    a.start();
    return a;
  }

  private void log(String message, Object... args) {
    appender.doAppend(new LoggingEvent("fqcn", logger, Level.INFO, message, null, args));
  }

  @Test
  void linesGatheredBetweenWakeUpsAreWrittenInOrderWithOneWrite() {
    for (int i = 0; i < 100; i++) {
      log("line {}", i);
    }
    appender.flush();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      expected.append("INFO line ").append(i).append('\n');
    }
    assertEquals(expected.toString(), out.text());
    assertEquals(1, out.writeCount());
  }

  @Test
  void theWriterWritesWithinTheDelayWithoutBeingWoken() throws InterruptedException {
    appender.stop();
    appender = appender(5, 8192);
    log("soon");
    for (int i = 0; i < 400 && out.text().isEmpty(); i++) {
      Thread.sleep(5);
    }
    assertEquals("INFO soon\n", out.text());
  }

  @Test
  void theMessageIsFormattedWhenLoggedNotWhenWritten() {
    StringBuilder mutable = new StringBuilder("before");
    log("value {}", mutable);
    mutable.replace(0, mutable.length(), "after");
    appender.flush();
    assertEquals("INFO value before\n", out.text());
  }

  @Test
  void aFullQueueDropsLinesAndSaysHowMany() {
    appender.stop();
    appender = appender(60_000, 3);
    for (int i = 0; i < 5; i++) {
      log("line {}", i);
    }
    appender.flush();
    String text = out.text();
    assertTrue(text.startsWith("INFO line 0\nINFO line 1\nINFO line 2\n"), text);
    assertTrue(text.contains("2 log lines dropped"), text);
  }

  @Test
  void stoppingWritesWhatIsQueued() {
    appender.stop();
    appender = appender(60_000, 8192);
    log("last words");
    appender.stop();
    assertEquals("INFO last words\n", out.text());
  }
}
