package dev.clauderelay.testing;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Runs the common paths once per JVM on an unwatched Vert.x instance. The first use of Netty,
 * Jackson and our classes loads (and, under JaCoCo, instruments) hundreds of classes on whichever
 * event loop gets there first; that one-time cost is not the kind of block the watch is for.
 */
final class JvmWarmup {
  private static boolean done;

  private JvmWarmup() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    Vertx vertx = Vertx.vertx();
    try {
      SimulatedAnthropic sim =
          Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
      sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
      ClaudeClient client =
          ClaudeClient.create(
              vertx,
              new ClaudeClientOptions()
                  .setBaseUrl(sim.baseUrl())
                  .setApiKey("warmup")
                  .setInitialBackoffMs(1)
                  .setMaxBackoffMs(1));
      JsonObject request =
          new JsonObject()
              .put("model", "m")
              .put("max_tokens", 4)
              .put(
                  "messages",
                  new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
      Await.result(client.messages(request));
      int port = sim.port();
      Await.result(sim.close());
      ClaudeClient refused =
          ClaudeClient.create(
              vertx,
              new ClaudeClientOptions()
                  .setBaseUrl("http://127.0.0.1:" + port)
                  .setApiKey("warmup")
                  .setMaxRetries(0));
      Await.failure(refused.messages(request));
    } finally {
      Await.result(vertx.close());
    }
  }
}
