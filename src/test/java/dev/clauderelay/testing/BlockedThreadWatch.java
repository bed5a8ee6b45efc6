package dev.clauderelay.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x instance that reports any event-loop block longer than {@code maxEventLoopMs}, and a log
 * watcher that collects the warnings, so a test can fail when something blocked.
 */
public final class BlockedThreadWatch implements AutoCloseable {
  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
  private final Vertx vertx;

  public BlockedThreadWatch(long maxEventLoopMs) {
    JvmWarmup.once();
    appender.start();
    logger.addAppender(appender);
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setMaxEventLoopExecuteTime(maxEventLoopMs)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(Math.max(10, maxEventLoopMs / 4))
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                // Include where the loop was stuck, so a failure names the culprit.
                .setWarningExceptionTime(maxEventLoopMs)
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The blocked-thread warnings logged so far. */
  public List<String> warnings() {
    synchronized (appender) { // AppenderBase.doAppend appends under this lock
      return appender.list.stream().map(BlockedThreadWatch::describe).collect(Collectors.toList());
    }
  }

  private static String describe(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      var frames = event.getThrowableProxy().getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(12, frames.length); i++) {
        sb.append("\n    at ").append(frames[i].getSTEAsString());
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      Await.result(vertx.close());
    } finally {
      logger.detachAppender(appender);
    }
  }
}
