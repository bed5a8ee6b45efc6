package dev.clauderelay.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Console output that an event loop can afford once per request: the logging thread formats the
 * event and drops it into a bounded queue, nothing more (no lock held for long, no thread woken,
 * never blocked); one writer thread wakes every {@code maxDelayMs}, encodes what gathered and
 * writes it to {@code System.err} with one {@code write} call.
 *
 * <p>Why not logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}: its writer
 * sleeps on the queue, so every event wakes it (a futex call and a cross-CPU wake-up on the logging
 * thread), and the console appender makes one {@code write} per event. At the gateway's one line
 * per request that was 55 to 80 µs of CPU per request on a 2-core VM, a third of the gateway's own
 * cost (docs/benchmarks.md, "Gateway overhead").
 *
 * <p>A line reaches the console at most {@code maxDelayMs} (default {@value #DEFAULT_MAX_DELAY_MS}
 * ms) after it was logged. When the queue is full (the console cannot keep up), events are dropped
 * rather than stalling the caller, and a line says how many. Stopping the appender, or the JVM,
 * writes what is queued.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** Longest time a line waits in the queue, milliseconds. */
  public static final long DEFAULT_MAX_DELAY_MS = 20;

  /** Events that may wait; more are dropped (and counted). */
  public static final int DEFAULT_QUEUE_SIZE = 8192;

  private Encoder<ILoggingEvent> encoder;
  private long maxDelayMs = DEFAULT_MAX_DELAY_MS;
  private int queueSize = DEFAULT_QUEUE_SIZE;
  private OutputStream output;

  private ArrayBlockingQueue<ILoggingEvent> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final List<ILoggingEvent> batch = new ArrayList<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
  private volatile Thread writer;
  private Thread shutdownHook;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  /** Longest time a line waits before it is written, milliseconds, at least 1. */
  public void setMaxDelayMs(long maxDelayMs) {
    this.maxDelayMs = maxDelayMs;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /** Where the bytes go instead of {@code System.err} (tests). */
  void setOutput(OutputStream output) {
    this.output = output;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder set for the appender named [" + name + "]");
      return;
    }
    if (maxDelayMs < 1 || queueSize < 1) {
      addError("maxDelayMs and queueSize must be at least 1 in the appender named [" + name + "]");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    write(encoder.headerBytes());
    super.start();
    Thread t = new Thread(this::run, "claude-relay-log-writer");
    t.setDaemon(true);
    writer = t;
    t.start();
    // A JVM that exits without stopping logback still writes what was queued.
    shutdownHook = new Thread(this::flush, "claude-relay-log-flush");
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      shutdownHook = null;
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    Thread t = writer;
    writer = null;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
    write(encoder.footerBytes());
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: nothing to remove.
      }
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    // Formats the message and captures the thread name here: the writer thread encodes it later.
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  private void run() {
    while (writer == Thread.currentThread()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(maxDelayMs));
      flush();
    }
  }

  /** Encodes and writes what is queued: one write for the lot. */
  synchronized void flush() {
    queue.drainTo(batch);
    long lost = dropped.getAndSet(0);
    if (batch.isEmpty() && lost == 0) {
      return;
    }
    bytes.reset();
    for (ILoggingEvent e : batch) {
      try {
        bytes.writeBytes(encoder.encode(e));
      } catch (RuntimeException failure) {
        addError("could not encode a log event", failure);
      }
    }
    batch.clear();
    if (lost > 0) {
      bytes.writeBytes(
          (lost + " log lines dropped: the console did not keep up (queue of " + queueSize + ")\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    write(bytes.toByteArray());
  }

  private void write(byte[] data) {
    if (data == null || data.length == 0) {
      return;
    }
    OutputStream out = output != null ? output : System.err;
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      addError("could not write to the console", e);
    }
  }
}
