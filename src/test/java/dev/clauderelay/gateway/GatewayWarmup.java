package dev.clauderelay.gateway;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.ScriptedResponse;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import java.util.List;

/**
 * Runs the gateway's paths once per JVM on an unwatched Vert.x, as {@code JvmWarmup} does for the
 * client: the first JSON route, SSE relay, error reply, invalid request and Prometheus scrape load
 * (and, under JaCoCo, instrument) their classes on an event loop, a one-time cost that is not the
 * kind of block the watch is for.
 */
final class GatewayWarmup {
  private static boolean done;

  private GatewayWarmup() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    Vertx vertx = Vertx.vertx();
    try {
      SimulatedAnthropic sim =
          Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
      ClaudeClient client =
          ClaudeClient.create(
              vertx,
              new ClaudeClientOptions()
                  .setBaseUrl(sim.baseUrl())
                  .setApiKey("warmup")
                  .setMaxRetries(0));
      GatewayVerticle gateway =
          new GatewayVerticle(
              client,
              new GatewayOptions().setPort(0).setTokens(List.of("warmup-token")),
              GatewayHarness.regions(client),
              () -> client.metrics().scrape());
      Await.result(vertx.deployVerticle(gateway));
      HttpClient http = vertx.createHttpClient();
      int port = gateway.actualPort();
      String message = GatewayHarness.message("warm").encode();
      String stream = GatewayHarness.message("warm").put("stream", true).encode();
      sim.enqueue(ScriptedResponse.error(529, "overloaded_error", "Overloaded"));
      for (String[] call :
          new String[][] {
            {"POST", "/v1/messages", message},
            {"POST", "/v1/messages", message},
            {"POST", "/v1/messages", stream},
            {"POST", "/v1/messages", "{"},
            {"POST", "/v1/messages/count_tokens", message},
            {"GET", "/v1/models", null},
            {"GET", "/v1/nothing", null},
            {"GET", "/status", null},
            {"GET", "/metrics", null},
            {"GET", "/health/ready", null}
          }) {
        RequestOptions ro =
            new RequestOptions()
                .setMethod(HttpMethod.valueOf(call[0]))
                .setPort(port)
                .setHost("127.0.0.1")
                .setURI(call[1])
                .addHeader("x-api-key", "warmup-token");
        Await.result(
            http.request(ro)
                .compose(r -> call[2] == null ? r.send() : r.send(Buffer.buffer(call[2])))
                .compose(r -> r.body()));
      }
      NetClient net = vertx.createNetClient();
      var socket = Await.result(net.connect(port, "127.0.0.1"));
      socket.handler(b -> {});
      Await.result(
          socket.write(
              "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
      Await.result(socket.close());
      Await.result(http.close());
      Await.result(client.close());
      Await.result(sim.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
