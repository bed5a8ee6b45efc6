package dev.clauderelay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transport.epoll}: {@code serve} runs on the native epoll transport where it loads (it does
 * on the Linux x86-64 machines CI uses) and on NIO when the key says false; the startup line says
 * which, and a call goes through either way.
 */
class ServeTransportTest {
  private static final String MESSAGE =
      "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":8,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"transport\"}]}";

  @TempDir Path dir;
  private ServeRun serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  private ServeRun serve(String extraYaml) throws IOException {
    serve =
        ServeRun.start(
            dir, "transport-test-token-FAKE", FakeKeys.SK_ANT + "FAKE-transport-key", extraYaml);
    return serve;
  }

  @Test
  void epollByDefaultWhereItLoads() throws IOException {
    String out = serve("").out;
    String expected = Transport.EPOLL.available() ? "transport: epoll" : "transport: nio";
    assertTrue(out.contains(expected), "expected '" + expected + "' in: " + out);
    assertEquals(200, serve.call(HttpMethod.POST, "/v1/messages", MESSAGE).status());
  }

  @Test
  void nioWhenTheConfigSaysSo() throws IOException {
    String out = serve("transport: { epoll: false }\n").out;
    assertTrue(out.contains("transport: nio"), out);
    assertEquals(200, serve.call(HttpMethod.POST, "/v1/messages", MESSAGE).status());
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
