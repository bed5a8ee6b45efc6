package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clauderelay.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI's only blocking wait: allowed on the command's own thread, refused on an event loop
 * (where it would block the loop and, waiting for that loop's own work, never return).
 */
class MainThreadTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void waitsOnTheCommandsThread() throws Exception {
    assertEquals("done", MainThread.await(Future.succeededFuture("done"), 1_000));
    assertThrows(TimeoutException.class, () -> MainThread.await(Promise.promise().future(), 20));
  }

  @Test
  void refusesToWaitOnAnEventLoop() {
    Promise<Throwable> refused = Promise.promise();
    vertx.runOnContext(
        v -> {
          try {
            MainThread.await(Future.succeededFuture("x"), 1_000);
            refused.complete(null);
          } catch (Exception e) {
            refused.complete(e);
          }
        });
    Throwable t = Await.result(refused.future());
    assertEquals(IllegalStateException.class, t == null ? null : t.getClass());
  }
}
