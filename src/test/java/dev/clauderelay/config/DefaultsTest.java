package dev.clauderelay.config;

import static dev.clauderelay.config.ConfigTesting.env;
import static dev.clauderelay.config.ConfigTesting.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The defaults of DESIGN.md, the shipped conf/config.yaml, and how files are found. */
class DefaultsTest {
  private static final Path SHIPPED = Path.of("conf", "config.yaml");

  @Test
  void defaultsAreDesignMdValues() {
    RelayConfig c = RelayConfig.defaults();
    assertEquals("127.0.0.1", c.gateway().host());
    assertEquals(8080, c.gateway().port());
    assertEquals(List.of(), c.gateway().tokens());
    assertEquals(33_554_432L, c.gateway().maxBodyBytes());
    assertEquals(
        List.of(new RegionConfig("anthropic", "https://api.anthropic.com", List.of(), List.of())),
        c.regions());
    assertEquals(new RetryConfig(3, 500, 8_000, 60_000, 600_000), c.retry());
    assertEquals(new BreakerConfig(5, 10_000, 30_000), c.breaker());
    assertEquals(new HealthConfig(10_000, 3_000), c.health());
    assertEquals(new RateLimitConfig(60, true, 1_000), c.rateLimit());
    assertEquals(new StreamConfig(90_000, false), c.stream());
    assertEquals(new CacheConfig(true, 300_000, 10_000), c.cache());
    assertEquals(new DegradeConfig(null, Path.of("data/pending"), 100_000), c.degrade());
    assertNull(c.tls().caFile());
    assertNull(c.proxy());
    assertEquals(new TransportConfig(10_000, 600_000, 60_000, 64, 10_000, true), c.transport());
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" loads as the defaults")
  @ValueSource(strings = {"", "# only a comment\n", "{}", "gateway:\nretry: ~\n"})
  void emptyConfigurationIsTheDefaults(String yaml) {
    assertEquals(RelayConfig.defaults(), load(yaml));
  }

  @Test
  void shippedConfigLoadsWithoutAnyVariable() {
    RelayConfig c = ConfigLoader.load(SHIPPED, Map.of());
    assertEquals(RelayConfig.defaults(), c);
    assertFalse(c.defaultRegion().hasCredentials());
  }

  @Test
  void shippedConfigTakesTheAnthropicVariables() {
    RelayConfig c =
        ConfigLoader.load(
            SHIPPED,
            env(
                "ANTHROPIC_API_KEY",
                FakeKeys.SK_ANT + "api03-FAKE-shipped-key-0001",
                "ANTHROPIC_BASE_URL",
                "https://eu.example.com/anthropic/"));
    assertEquals(
        List.of(FakeKeys.SK_ANT + "api03-FAKE-shipped-key-0001"), c.defaultRegion().apiKeys());
    assertEquals("https://eu.example.com/anthropic", c.defaultRegion().baseUrl());
  }

  @Test
  void shippedConfigHoldsEveryKeyOfTheModel() throws IOException {
    // The documented file is complete: every key the loader knows appears in it.
    String shipped = Files.readString(SHIPPED);
    RelayConfig withModel =
        load("degrade: {localModel: {baseUrl: 'http://localhost:11434/v1', model: m}}");
    for (String key : keys(withModel.toSafeJson(), "")) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertTrue(shipped.contains(leaf + ":"), () -> "conf/config.yaml does not show " + key);
    }
  }

  @Test
  void safeJsonReadsBackAsTheSameConfig() {
    RelayConfig custom =
        load(
            """
            gateway: {host: 0.0.0.0, port: 9000}
            regions:
              - {name: us, baseUrl: 'https://us.example.com', apiKeyFiles: [/run/key]}
              - {name: eu}
            retry: {maxRetries: 0, initialBackoffMs: 0, maxBackoffMs: 0}
            stream: {resume: true}
            degrade: {localModel: {baseUrl: 'http://localhost:11434/v1', model: m}}
            tls: {caFile: /etc/ca.pem}
            proxy: socks5://proxy:1080
            transport: {maxConnections: 2}
            """);
    for (RelayConfig c : List.of(RelayConfig.defaults(), custom)) {
      assertEquals(c, load(c.toSafeJson().encode()));
    }
  }

  @Test
  void absentDefaultFileMeansDefaultsPlusEnvironment(@TempDir Path dir) {
    Path absentDefault = dir.resolve("config.yaml");
    RelayConfig c = ConfigLoader.load(null, absentDefault, env("CLAUDE_RELAY_PORT", "9999"));
    assertEquals(9999, c.gateway().port());
    // Named explicitly but equal to the default: a CLI option's default value, so still optional.
    assertEquals(RelayConfig.defaults(), ConfigLoader.load(absentDefault, absentDefault, Map.of()));
  }

  @Test
  void absentDefaultFileStillReportsBadEnvironmentAgainstTheDefaults(@TempDir Path dir) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    null, dir.resolve("config.yaml"), env("CLAUDE_RELAY_PORT", "http")));
    assertEquals(ConfigLoader.DEFAULTS_SOURCE, e.source());
  }

  @Test
  void absentExplicitFileIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("typo.yaml");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(missing, dir.resolve("config.yaml"), Map.of()));
    assertTrue(e.getMessage().startsWith(missing + ": file not found"), e.getMessage());
  }

  @Test
  void fileIsReadAndNamedInProblems(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("relay.yaml");
    Files.writeString(file, "gateway:\n  port: 9001\n");
    assertEquals(9001, ConfigLoader.load(file, Map.of()).gateway().port());
    Files.writeString(file, "gateway:\n  prot: 9001\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().startsWith(file + ": unknown key gateway.prot"), e.getMessage());
  }

  private static List<String> keys(io.vertx.core.json.JsonObject json, String prefix) {
    List<String> out = new java.util.ArrayList<>();
    for (String name : json.fieldNames()) {
      Object value = json.getValue(name);
      if (value instanceof io.vertx.core.json.JsonObject nested) {
        out.addAll(keys(nested, prefix + name + "."));
      } else if (value instanceof io.vertx.core.json.JsonArray array
          && !array.isEmpty()
          && array.getValue(0) instanceof io.vertx.core.json.JsonObject first) {
        out.addAll(keys(first, prefix + name + "."));
      }
      out.add(prefix + name);
    }
    return out;
  }
}
