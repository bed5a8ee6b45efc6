package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code serve} started the way its users start it (a YAML file, {@code --config}) against an
 * in-process simulator, with a client to call it: one gateway token, one region with one key.
 */
final class ServeRun implements AutoCloseable {
  final String token;
  final String out;
  private final Vertx vertx;
  private final HttpClient http;
  private final SimulatedAnthropic sim;
  private final ServeCommand command;

  private ServeRun(
      Vertx vertx, SimulatedAnthropic sim, ServeCommand command, String token, String out) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient();
    this.sim = sim;
    this.command = command;
    this.token = token;
    this.out = out;
  }

  /**
   * Writes the config into {@code dir} ({@code extraYaml} appended) and runs {@code serve}; fails
   * the test when it does not start.
   */
  static ServeRun start(Path dir, String token, String regionKey, String extraYaml)
      throws IOException {
    Vertx vertx = Vertx.vertx();
    SimulatedAnthropic sim =
        Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "gateway: { host: 127.0.0.1, port: 0, tokens: [\""
            + token
            + "\"] }\nregions:\n  - name: sim\n    baseUrl: \""
            + sim.baseUrl()
            + "\"\n    apiKeys: [\""
            + regionKey
            + "\"]\nhealth: { intervalMs: 60000 }\ndegrade: { maxPendingTasks: 0 }\n"
            + extraYaml);
    ServeCommand command = new ServeCommand().environment(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("--config", config.toString());
    ServeRun run = new ServeRun(vertx, sim, command, token, out.toString());
    if (code != 0) {
      run.close();
    }
    assertEquals(0, code, err.toString());
    return run;
  }

  record Reply(int status, String body) {}

  /** A call with the gateway token; {@code body} null sends none. */
  Reply call(HttpMethod method, String path, String body) {
    RequestOptions options =
        new RequestOptions()
            .setHost("127.0.0.1")
            .setPort(command.port())
            .setMethod(method)
            .setURI(path)
            .putHeader("x-api-key", token)
            .putHeader("content-type", "application/json");
    return Await.result(
        http.request(options)
            .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
            .compose(
                (HttpClientResponse resp) ->
                    resp.body().map(b -> new Reply(resp.statusCode(), b.toString()))));
  }

  @Override
  public void close() {
    command.stop();
    Await.result(sim.close());
    Await.result(vertx.close());
  }
}
