package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.clauderelay.cli.Main;
import dev.clauderelay.cli.ServeCommand;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code claude-relay serve}: config, startup refusals, serving, and the graceful stop. */
class ServeCommandTest {
  private static final String TOKEN = "serve-test-token-3b7d";

  @TempDir Path dir;
  private Vertx vertx;
  private SimulatedAnthropic sim;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private ServeCommand command;

  @BeforeEach
  void start() {
    GatewayWarmup.once();
    vertx = Vertx.vertx();
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

  private int serve(String gatewayYaml) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        gatewayYaml
            + "\nregions:\n  - name: sim\n    baseUrl: \""
            + sim.baseUrl()
            + "\"\n    apiKeys: [\"sk-ant-serve-key-9f2a\"]\n"
            + "rateLimit: { requestsPerMinute: 6000 }\n"
            + "health: { intervalMs: 60000 }\n"
            // The pending-task store in the test's own directory, not the working directory's.
            + "degrade: { pendingDir: \""
            + dir.resolve("pending").toString().replace("\\", "/")
            + "\" }\n");
    command = new ServeCommand().environment(Map.of());
    return new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("--config", config.toString());
  }

  private static MessageCreateParams params() {
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-6")
        .maxTokens(16)
        .addUserMessage("serve")
        .build();
  }

  @Test
  void servesUntilStoppedAndLetsAnInFlightRequestFinish() throws Exception {
    int code = serve("gateway: { host: 127.0.0.1, port: 0, tokens: [\"" + TOKEN + "\"] }");

    assertEquals(0, code, err.toString());
    assertTrue(command.keepsRunning());
    Matcher m =
        Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    assertFalse(out.toString().contains(TOKEN), "the token is not printed");
    AnthropicClient sdk =
        AnthropicOkHttpClient.builder().baseUrl(m.group(1)).apiKey(TOKEN).maxRetries(0).build();
    try {
      assertFalse(sdk.messages().create(params()).content().isEmpty());

      sim.setLatencyMs(1_000);
      long before = sim.requestCount("/v1/messages");
      CompletableFuture<Message> inFlight =
          CompletableFuture.supplyAsync(() -> sdk.messages().create(params()));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (sim.requestCount("/v1/messages") == before && System.nanoTime() < deadline) {
        Await.result(vertx.timer(10));
      }
      command.stop();

      assertFalse(inFlight.get(10, TimeUnit.SECONDS).content().isEmpty(), "it finished");
      assertFalse(command.keepsRunning());
      int port = Integer.parseInt(m.group(2));
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    } finally {
      sdk.close();
    }
  }

  @Test
  void aConfigurationErrorExits2NamingTheKey() throws IOException {
    int code = serve("gateway: { port: 70000 }");

    assertEquals(2, code);
    assertTrue(err.toString().contains("gateway.port"), err.toString());
    assertFalse(command.keepsRunning());
  }

  @Test
  void noTokensOnANetworkHostExits2() throws IOException {
    int code = serve("gateway: { host: 0.0.0.0, port: 0, tokens: [] }");

    assertEquals(2, code);
    assertTrue(err.toString().contains("gateway.tokens"), err.toString());
  }

  @Test
  void serveIsASubcommandAndTheDefault() {
    CommandLine main = Main.commandLine();

    assertTrue(main.getSubcommands().containsKey("serve"));
  }
}
