package dev.clauderelay.config;

import static dev.clauderelay.config.ConfigTesting.env;
import static dev.clauderelay.config.ConfigTesting.failure;
import static dev.clauderelay.config.ConfigTesting.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ${VAR} substitution, CLAUDE_RELAY_* overrides, ANTHROPIC_* fallbacks, and their precedence. */
class EnvironmentTest {
  private static final String TWO_REGIONS =
      """
      regions:
        - {name: us, baseUrl: 'https://us.example.com', apiKeys: [file-key-0001]}
        - {name: eu, baseUrl: 'https://eu.example.com'}
      """;

  static Stream<Arguments> overrides() {
    return Stream.of(
        override("CLAUDE_RELAY_RETRY_MAX_RETRIES", "5", c -> c.retry().maxRetries(), 5),
        override("CLAUDE_RELAY_RETRY_DEADLINE_MS", "1000", c -> c.retry().deadlineMs(), 1000L),
        override("CLAUDE_RELAY_GATEWAY_PORT", "9090", c -> c.gateway().port(), 9090),
        override("CLAUDE_RELAY_PORT", "9091", c -> c.gateway().port(), 9091),
        override("CLAUDE_RELAY_GATEWAY_HOST", "0.0.0.0", c -> c.gateway().host(), "0.0.0.0"),
        override(
            "CLAUDE_RELAY_GATEWAY_TOKENS",
            "token-one, token-two,,token-one",
            c -> c.gateway().tokens(),
            List.of("token-one", "token-two")),
        override("CLAUDE_RELAY_STREAM_RESUME", "true", c -> c.stream().resume(), true),
        override("CLAUDE_RELAY_RATE_LIMIT_ADAPTIVE", "FALSE", c -> c.rateLimit().adaptive(), false),
        override(
            "CLAUDE_RELAY_RATE_LIMIT_REQUESTS_PER_MINUTE",
            " 120 ",
            c -> c.rateLimit().requestsPerMinute(),
            120),
        override("CLAUDE_RELAY_CACHE_ENABLED", "false", c -> c.cache().enabled(), false),
        override(
            "CLAUDE_RELAY_DEGRADE_PENDING_DIR",
            "/var/relay",
            c -> c.degrade().pendingDir(),
            Path.of("/var/relay")),
        override(
            "CLAUDE_RELAY_TLS_CA_FILE",
            "/etc/ca.pem",
            c -> c.tls().caFile(),
            Path.of("/etc/ca.pem")),
        override(
            "CLAUDE_RELAY_PROXY", "http://proxy:3128", RelayConfig::proxy, "http://proxy:3128"),
        override(
            "CLAUDE_RELAY_TRANSPORT_MAX_CONNECTIONS", "8", c -> c.transport().maxConnections(), 8),
        override(
            "CLAUDE_RELAY_REGIONS_0_BASE_URL",
            "https://proxy.example.com/anthropic",
            c -> c.defaultRegion().baseUrl(),
            "https://proxy.example.com/anthropic"),
        override(
            "CLAUDE_RELAY_REGIONS_0_NAME", "primary", c -> c.defaultRegion().name(), "primary"),
        override(
            "CLAUDE_RELAY_REGIONS_0_API_KEYS",
            "key-a-000001,key-b-000002",
            c -> c.defaultRegion().apiKeys(),
            List.of("key-a-000001", "key-b-000002")),
        override(
            "CLAUDE_RELAY_REGIONS_0_API_KEY_FILES",
            "/run/secrets/k1",
            c -> c.defaultRegion().apiKeyFiles(),
            List.of(Path.of("/run/secrets/k1"))),
        override(
            "ANTHROPIC_API_KEY",
            FakeKeys.SK_ANT + "api03-FAKE-from-env-0001",
            c -> c.defaultRegion().apiKeys(),
            List.of(FakeKeys.SK_ANT + "api03-FAKE-from-env-0001")),
        override(
            "ANTHROPIC_BASE_URL",
            "https://gw.example.com/",
            c -> c.defaultRegion().baseUrl(),
            "https://gw.example.com"));
  }

  private static Arguments override(
      String variable, String value, Function<RelayConfig, Object> read, Object expected) {
    return Arguments.of(variable, value, read, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @MethodSource("overrides")
  void eachOverrideFormSetsItsKey(
      String variable, String value, Function<RelayConfig, Object> read, Object expected) {
    assertEquals(expected, read.apply(load("", Map.of(variable, value))));
  }

  @Test
  void environmentAloneCanAddALocalModel() {
    RelayConfig c =
        load(
            "",
            env(
                "CLAUDE_RELAY_DEGRADE_LOCAL_MODEL_BASE_URL", "http://localhost:11434/v1",
                "CLAUDE_RELAY_DEGRADE_LOCAL_MODEL_MODEL", "llama3.1:8b"));
    assertEquals(
        new LocalModelConfig("http://localhost:11434/v1", "llama3.1:8b", null),
        c.degrade().localModel());
  }

  @Test
  void emptyVariableClearsAnOptionalKey() {
    assertNull(load("proxy: http://proxy:3128", Map.of("CLAUDE_RELAY_PROXY", "")).proxy());
  }

  @Test
  void substitutionFillsStringsNumbersAndLists() {
    RelayConfig c =
        load(
            """
            gateway:
              port: ${PORT}
              tokens: ["${T1}", "${T2:-}", "literal-${T1}"]
            retry: {maxRetries: "${RETRIES:-4}"}
            regions: [{name: "${REGION}", apiKeys: "${KEYS}"}]
            """,
            env("PORT", "9000", "T1", "tok-1", "REGION", "eu-1", "KEYS", "ka-000001, kb-000002"));
    assertEquals(9000, c.gateway().port());
    assertEquals(List.of("tok-1", "literal-tok-1"), c.gateway().tokens());
    assertEquals(4, c.retry().maxRetries());
    assertEquals("eu-1", c.defaultRegion().name());
    assertEquals(List.of("ka-000001", "kb-000002"), c.defaultRegion().apiKeys());
  }

  @Test
  void unsetVariableIsAnErrorNamingItAndTheKey() {
    ConfigException e = failure("gateway: {port: '${PORT}'}\nproxy: ${PROXY}");
    assertEquals(
        List.of(
            "gateway.port uses ${PORT}, which is not set; set it, or give a default as"
                + " ${PORT:-default}",
            "proxy uses ${PROXY}, which is not set; set it, or give a default as"
                + " ${PROXY:-default}"),
        e.problems());
  }

  @Test
  void substitutedValueOfTheWrongTypeSaysWhereItCameFrom() {
    ConfigException e = failure("gateway: {port: '${PORT}'}", env("PORT", "http"));
    assertEquals(
        List.of("gateway.port must be an integer, got \"http\" (from ${PORT})"), e.problems());
  }

  @Test
  void malformedReferenceIsAnError() {
    ConfigException e = failure("gateway: {host: '${HOST'}");
    assertEquals(List.of("gateway.host has '${' without a closing '}'"), e.problems());
  }

  @Test
  void variablesInUnknownKeysAreNotExpanded() {
    ConfigException e = failure("gateway: {hots: '${UNSET}'}");
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("unknown key gateway.hots"), e.getMessage());
  }

  @Test
  void overrideBeatsFileAndSubstitution() {
    RelayConfig c =
        load("retry: {maxRetries: '${R}'}", env("R", "2", "CLAUDE_RELAY_RETRY_MAX_RETRIES", "7"));
    assertEquals(7, c.retry().maxRetries());
  }

  @Test
  void fileBeatsAnthropicVariablesWhichOnlyFillGaps() {
    Map<String, String> env =
        env(
            "ANTHROPIC_API_KEY",
            FakeKeys.SK_ANT + "api03-FAKE-ambient-0001",
            "ANTHROPIC_BASE_URL",
            "https://ambient.example.com");
    RelayConfig c = load(TWO_REGIONS, env);
    assertEquals(
        new RegionConfig("us", "https://us.example.com", List.of("file-key-0001"), List.of()),
        c.regions().get(0));
    // Only the default region ever takes them.
    assertEquals(List.of(), c.regions().get(1).apiKeys());

    RelayConfig gaps = load("regions: [{name: us}, {name: eu}]", env);
    assertEquals(
        new RegionConfig(
            "us",
            "https://ambient.example.com",
            List.of(FakeKeys.SK_ANT + "api03-FAKE-ambient-0001"),
            List.of()),
        gaps.regions().get(0));
    assertEquals("https://api.anthropic.com", gaps.regions().get(1).baseUrl());
  }

  @Test
  void keyFileCountsAsAKeySoTheVariableStaysOut() {
    RelayConfig c =
        load(
            "regions: [{name: us, apiKeyFiles: [/run/key]}]",
            env("ANTHROPIC_API_KEY", FakeKeys.SK_ANT + "api03-FAKE-ambient-0001"));
    assertEquals(List.of(), c.defaultRegion().apiKeys());
  }

  @Test
  void overrideBeatsAnthropicVariable() {
    RelayConfig c =
        load(
            "",
            env(
                "ANTHROPIC_API_KEY",
                FakeKeys.SK_ANT + "api03-FAKE-ambient-0001",
                "CLAUDE_RELAY_REGIONS_0_API_KEYS",
                "override-key-01"));
    assertEquals(List.of("override-key-01"), c.defaultRegion().apiKeys());
  }

  @Test
  void bothPortVariablesMustAgree() {
    assertEquals(
        8181,
        load("", env("CLAUDE_RELAY_PORT", "8181", "CLAUDE_RELAY_GATEWAY_PORT", "8181"))
            .gateway()
            .port());
    ConfigException e =
        failure("", env("CLAUDE_RELAY_PORT", "8181", "CLAUDE_RELAY_GATEWAY_PORT", "8282"));
    assertEquals(
        List.of(
            "CLAUDE_RELAY_GATEWAY_PORT and CLAUDE_RELAY_PORT both set gateway.port, differently;"
                + " set only one"),
        e.problems());
  }

  @Test
  void overrideValueOfTheWrongTypeNamesTheVariable() {
    ConfigException e =
        failure(
            "", env("CLAUDE_RELAY_GATEWAY_PORT", "eighty", "CLAUDE_RELAY_RETRY_MAX_RETRIES", "-1"));
    assertEquals(
        List.of(
            "gateway.port must be an integer, got \"eighty\" (from CLAUDE_RELAY_GATEWAY_PORT)",
            "retry.maxRetries must be between 0 and 100, got -1 (from"
                + " CLAUDE_RELAY_RETRY_MAX_RETRIES)"),
        e.problems());
  }

  static Stream<Arguments> unusedVariables() {
    return Stream.of(
        Arguments.of(
            "CLAUDE_RELAY_RETRY_MAX_RETRYS",
            "environment variable CLAUDE_RELAY_RETRY_MAX_RETRYS matches no configuration key;"
                + " did you mean CLAUDE_RELAY_RETRY_MAX_RETRIES?"),
        Arguments.of(
            "CLAUDE_RELAY_RETRY",
            "environment variable CLAUDE_RELAY_RETRY matches no configuration key"),
        Arguments.of(
            "CLAUDE_RELAY_REGIONS_1_BASE_URL",
            "environment variable CLAUDE_RELAY_REGIONS_1_BASE_URL matches no configuration key;"
                + " there is 1 region, and the environment can override a configured region's"
                + " keys, not add one"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unusedVariables")
  void unusedPrefixedVariableIsAnError(String variable, String problem) {
    assertEquals(List.of(problem), failure("", Map.of(variable, "1")).problems());
  }

  @Test
  void theLogVariablesLogbackReadsAreNotConfigKeys() {
    assertEquals(
        RelayConfig.defaults(),
        load("", env("CLAUDE_RELAY_LOG_LEVEL", "DEBUG", "CLAUDE_RELAY_LOG_FORMAT", "json")));
  }

  @Test
  void otherVariablesAreIgnored() {
    assertEquals(
        RelayConfig.defaults(),
        load("", env("PATH", "/bin", "CLAUDE_RELAYX", "1", "claude_relay_port", "1")));
  }
}
