package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code transport.epoll}: {@code serve} runs on the native epoll transport where it loads (it does
 * on the Linux x86-64 machines CI uses) and on NIO when the key says false; the startup line says
 * which, and a call goes through either way.
 */
class ServeTransportTest {
  private static final String TOKEN = "transport-test-token-FAKE";

  @TempDir Path dir;
  private Vertx vertx;
  private HttpClient http;
  private SimulatedAnthropic sim;
  private ServeCommand command;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)));
  }

  @AfterEach
  void stop() {
    if (command != null) {
      command.stop();
    }
    Await.result(sim.close());
    Await.result(vertx.close());
  }

  /** Starts serve with {@code extra} appended to the config; returns its stdout. */
  private String serve(String extra) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        "gateway: { host: 127.0.0.1, port: 0, tokens: [\""
            + TOKEN
            + "\"] }\nregions:\n  - name: sim\n    baseUrl: \""
            + sim.baseUrl()
            + "\"\n    apiKeys: [\"sk-ant-FAKE-transport-key\"]\n"
            + "health: { intervalMs: 60000 }\ndegrade: { maxPendingTasks: 0 }\n"
            + extra);
    command = new ServeCommand().environment(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("--config", config.toString());
    assertEquals(0, code, err.toString());
    return out.toString();
  }

  private int postMessage() {
    RequestOptions options =
        new RequestOptions()
            .setHost("127.0.0.1")
            .setPort(command.port())
            .setMethod(HttpMethod.POST)
            .setURI("/v1/messages")
            .putHeader("x-api-key", TOKEN)
            .putHeader("content-type", "application/json");
    String body =
        "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"transport\"}]}";
    return Await.result(
        http.request(options)
            .compose(req -> req.send(Buffer.buffer(body)))
            .compose((HttpClientResponse resp) -> resp.body().map(b -> resp.statusCode())));
  }

  @Test
  void epollByDefaultWhereItLoads() throws IOException {
    String out = serve("");
    String expected = Transport.EPOLL.available() ? "transport: epoll" : "transport: nio";
    assertTrue(out.contains(expected), "expected '" + expected + "' in: " + out);
    assertEquals(200, postMessage());
  }

  @Test
  void nioWhenTheConfigSaysSo() throws IOException {
    String out = serve("transport: { epoll: false }\n");
    assertTrue(out.contains("transport: nio"), out);
    assertEquals(200, postMessage());
  }

  @Test
  void epollLoadsOnTheLinuxMachinesThisRunsOn() {
    // The fat jar carries the linux-x86_64 library; if it stopped loading here, the default would
    // quietly fall back to NIO and the benchmark figures would no longer describe the default.
    if (System.getProperty("os.name").startsWith("Linux")
        && "amd64".equals(System.getProperty("os.arch"))) {
      assertTrue(
          Transport.EPOLL.available(), String.valueOf(Transport.EPOLL.unavailabilityCause()));
    }
  }
}
