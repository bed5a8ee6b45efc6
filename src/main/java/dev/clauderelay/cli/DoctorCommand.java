package dev.clauderelay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.clauderelay.config.ConfigException;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import dev.clauderelay.doctor.Doctor;
import dev.clauderelay.doctor.DoctorOptions;
import dev.clauderelay.doctor.DoctorReport;
import dev.clauderelay.doctor.TextReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code claude-relay doctor}: checks each region layer by layer and says what is wrong and how to
 * fix it. Exit 0 when every region passes, 1 when a check fails, 2 when the configuration cannot be
 * read (or names no such region).
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Diagnose the connection to every configured region: configuration, proxy and CA bundle,"
          + " DNS, TCP, TLS, HTTP and auth (GET /v1/models), rate limits, clock skew, latency.",
      "Exit 0 when every region passes, 1 when any check fails, 2 when the configuration cannot"
          + " be read."
    })
public final class DoctorCommand implements Callable<Integer> {
  /** Beyond the layers' own limits: Vert.x start and stop, file reads. */
  private static final long MARGIN_MS = 10_000;

  /** The layers that wait on the network, each bounded by {@code --timeout-ms}. */
  private static final int NETWORK_LAYERS = 5;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (default: conf/config.yaml if present, else built-in).")
  Path config;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Option(names = "--region", paramLabel = "NAME", description = "Check only this region.")
  String region;

  @Option(
      names = "--timeout-ms",
      defaultValue = "" + DoctorOptions.DEFAULT_TIMEOUT_MS,
      paramLabel = "MS",
      description = "Limit of each network layer, milliseconds (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(
      names = "--ascii",
      description = "Plain ASCII text (automatic when the terminal cannot show check marks).")
  boolean ascii;

  private final Map<String, String> env;
  private final Clock clock;

  public DoctorCommand() {
    this(System.getenv(), Clock.systemUTC());
  }

  /** For tests and embedders: the environment (proxy variables, keys) and the clock to use. */
  public DoctorCommand(Map<String, String> env, Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String source = config == null ? ConfigLoader.DEFAULT_PATH.toString() : config.toString();
    RelayConfig loaded;
    try {
      loaded = ConfigLoader.load(config, env);
    } catch (ConfigException e) {
      return configFailure(out, err, e.source(), e.problems());
    }
    if (config == null && !ConfigLoader.DEFAULT_PATH.toFile().exists()) {
      source = ConfigLoader.DEFAULTS_SOURCE + " and the environment";
    }
    List<RegionConfig> regions = loaded.regions();
    if (region != null) {
      regions = regions.stream().filter(r -> r.name().equals(region)).toList();
      if (regions.isEmpty()) {
        return configFailure(
            out,
            err,
            source,
            List.of(
                "no region named "
                    + region
                    + "; configured: "
                    + String.join(
                        ", ", loaded.regions().stream().map(RegionConfig::name).toList())));
      }
    }
    DoctorOptions options;
    try {
      options = new DoctorOptions(env, clock, timeoutMs);
    } catch (IllegalArgumentException e) {
      return configFailure(out, err, source, List.of("--timeout-ms " + e.getMessage()));
    }
    DoctorReport report;
    Vertx vertx = Vertx.vertx();
    try {
      long limitMs = regions.size() * (NETWORK_LAYERS * timeoutMs) + MARGIN_MS;
      report =
          MainThread.await(new Doctor(vertx, options).examine(loaded, source, regions), limitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DoctorReport.EXIT_FAILED;
    } catch (ExecutionException | TimeoutException e) {
      err.println("claude-relay doctor: the checks did not finish: " + e);
      err.flush();
      return DoctorReport.EXIT_FAILED;
    } finally {
      close(vertx);
    }
    if (json) {
      out.println(encode(report.toJson()));
    } else {
      out.print(TextReport.render(report, ascii || !canShowSymbols()));
    }
    out.flush();
    return report.exitCode();
  }

  private int configFailure(
      PrintWriter out, PrintWriter err, String source, List<String> problems) {
    if (json) {
      out.println(encode(DoctorReport.configFailureJson(source, problems)));
      out.flush();
    } else {
      err.println("claude-relay doctor: cannot use the configuration " + source + ":");
      problems.forEach(p -> err.println("  " + p));
      err.println("fix the lines above and run doctor again (exit 2: nothing was checked)");
      err.flush();
    }
    return DoctorReport.EXIT_CONFIG;
  }

  /**
   * Pretty JSON with every non-ASCII character escaped: the document stays valid and readable
   * whatever the terminal's charset (fingerprints hold "…").
   */
  static String encode(JsonObject json) {
    try {
      JsonMapper mapper = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
      return mapper
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(mapper.readTree(json.encode()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the report: " + e, e);
    }
  }

  private static boolean canShowSymbols() {
    String encoding = System.getProperty("stdout.encoding");
    Charset charset;
    try {
      charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return charset.newEncoder().canEncode("✓✗–…→");
  }

  private static void close(Vertx vertx) {
    try {
      MainThread.await(vertx.close(), TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Exiting anyway.
    }
  }
}
