package dev.clauderelay.degrade;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The process {@link PendingStoreCrashTest} kills: enqueues tasks {@code key-0 … key-N} one after
 * another through the real store and prints {@code ACK <key> <id>} once each is committed. Every
 * third task is then marked RUNNING (as the replayer does before calling the upstream) and {@code
 * RUNNING <id>} printed. It never stops on its own; the test kills it with SIGKILL.
 *
 * <p>Arguments: the store directory, the number of tasks.
 */
public final class PendingStoreChild {
  private PendingStoreChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    PendingTaskStore.open(vertx, PendingStoreOptions.of(dir, n), Clock.systemUTC(), null)
        .onSuccess(
            store -> {
              out.println("OPEN " + store.recoveredInFlight());
              next(store, out, 0, n);
            })
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(2);
            });
  }

  private static void next(PendingTaskStore store, PrintStream out, int i, int n) {
    if (i == n) {
      out.println("ALL");
      return;
    }
    String key = "key-" + i;
    store
        .enqueue(key, PendingTaskStoreTest.request("task " + i), Map.of("anthropic-version", "v"))
        .compose(
            r -> {
              out.println("ACK " + key + " " + r.task().id());
              if (i % 3 != 0) {
                return Future.succeededFuture();
              }
              return store
                  .markRunning(r.task().id())
                  .map(
                      t -> {
                        t.ifPresent(task -> out.println("RUNNING " + task.id()));
                        return null;
                      });
            })
        .onSuccess(v -> next(store, out, i + 1, n))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(3);
            });
  }
}
