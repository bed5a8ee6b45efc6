package dev.clauderelay.degrade;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole relay ({@code dev.clauderelay.cli.Main serve --config FILE}) in a JVM of its own,
 * started with the test JVM's class path, as {@link PendingStoreChild} is. Its log goes to stdout
 * through a synchronous console appender (a line is in the pipe before the logging call returns, so
 * a SIGKILL cannot lose a line that was logged), stderr is merged in, and a reader thread keeps
 * every line.
 */
final class RelayProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  /** Only the relay's INFO lines, the message alone after the level and logger. */
  private static final String LOGBACK =
      """
      <configuration>
        <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <target>System.out</target>
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n</pattern></encoder>
        </appender>
        <logger name="dev.clauderelay" level="INFO"/>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;

  private final String name;
  private final Process process;
  private final Thread reader;
  private final List<String> lines = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private RelayProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader = new Thread(this::read, "relay-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code serve}. The working directory is {@code dir} (Vert.x's file cache lands there),
   * and the environment holds no {@code CLAUDE_RELAY_*}, {@code ANTHROPIC_*} or proxy variable: the
   * config file alone decides.
   */
  static RelayProcess start(String name, Path dir, Path config) throws IOException {
    Path logback = dir.resolve("logback-relay.xml");
    if (!Files.exists(logback)) {
      Files.writeString(logback, LOGBACK);
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.clauderelay.cli.Main",
                "serve",
                "--config",
                config.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("CLAUDE_RELAY_")
                    || k.startsWith("ANTHROPIC_")
                    || k.equalsIgnoreCase("http_proxy")
                    || k.equalsIgnoreCase("https_proxy")
                    || k.equalsIgnoreCase("all_proxy")
                    || k.equalsIgnoreCase("no_proxy"));
    return new RelayProcess(name, pb.start());
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // The process is gone; what was read is kept.
    } finally {
      port.completeExceptionally(new IllegalStateException("the relay ended before listening"));
    }
  }

  /** The gateway's port, once it printed that it listens (within {@code timeoutMs}). */
  int awaitPort(long timeoutMs) {
    try {
      return port.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "relay " + name + " did not start: " + e + "\n" + String.join("\n", lines()), e);
    }
  }

  /** Every line so far (after {@link #kill()}: every line it wrote). */
  List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no close. Waits until
   * it is gone and its output is read to the end; returns its exit code (137 = 128 + SIGKILL).
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("relay " + name + " survived SIGKILL for 30 s");
    }
    reader.join(10_000);
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
