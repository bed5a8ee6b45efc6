package dev.clauderelay.region;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits on the test thread until a condition holds, checking it on a Vert.x periodic timer (no
 * sleeping, a bounded wait).
 */
public final class Eventually {
  private Eventually() {}

  public static void until(Vertx vertx, long timeoutMs, BooleanSupplier condition) {
    until(vertx, timeoutMs, condition, () -> "condition not met");
  }

  public static void until(
      Vertx vertx, long timeoutMs, BooleanSupplier condition, Supplier<String> describe) {
    CompletableFuture<Void> met = new CompletableFuture<>();
    long timer =
        vertx.setPeriodic(
            1,
            5,
            id -> {
              try {
                if (condition.getAsBoolean()) {
                  met.complete(null);
                }
              } catch (RuntimeException e) {
                met.completeExceptionally(e);
              }
            });
    try {
      met.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("within " + timeoutMs + " ms: " + describe.get());
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
