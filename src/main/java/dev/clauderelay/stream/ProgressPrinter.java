package dev.clauderelay.stream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Shows a job's progress on stderr: a bar redrawn a few times a second on a terminal, a plain line
 * every interval otherwise (log files and CI consoles do not understand {@code \r}). The snapshot
 * is taken on the job's context; the printing, blocking I/O on a stream that may be a slow pipe,
 * happens on a worker, and a tick is skipped while the previous line is still being written.
 */
final class ProgressPrinter {
  private static final long BAR_INTERVAL_MS = 250;

  private final Vertx vertx;
  private final Context ctx;
  private final PrintWriter err;
  private final LargeTextJobOptions.Progress mode;
  private final long intervalMs;
  private long timer = -1;
  private Future<Void> printing = Future.succeededFuture();

  ProgressPrinter(
      Vertx vertx,
      Context ctx,
      PrintWriter err,
      LargeTextJobOptions.Progress mode,
      long intervalMs) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.err = err;
    this.mode = mode;
    this.intervalMs = mode == LargeTextJobOptions.Progress.BAR ? BAR_INTERVAL_MS : intervalMs;
  }

  /** Call on the job's context. */
  void start(Supplier<ProgressSnapshot> snapshot) {
    if (mode == LargeTextJobOptions.Progress.NONE) {
      return;
    }
    timer =
        vertx.setPeriodic(
            intervalMs,
            id -> {
              if (printing.isComplete()) {
                ProgressSnapshot now = snapshot.get();
                print(mode == LargeTextJobOptions.Progress.BAR ? now.bar() : now.line() + "\n");
              }
            });
  }

  /** Stops the updates and prints the last state and the summary; completes once printed. */
  Future<Void> finish(ProgressSnapshot last, String summary) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    String text =
        switch (mode) {
          case BAR -> last.bar() + "\n" + summary + "\n";
          case LINES -> last.line() + "\n" + summary + "\n";
          case NONE -> summary + "\n";
        };
    return print(text);
  }

  private Future<Void> print(String text) {
    printing =
        ctx.executeBlocking(
            () -> {
              err.print(text);
              err.flush();
              return null;
            },
            true);
    return printing;
  }
}
