package dev.clauderelay.config;

import static dev.clauderelay.config.ConfigTesting.env;
import static dev.clauderelay.config.ConfigTesting.failure;
import static dev.clauderelay.config.ConfigTesting.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of problem, its exact wording, and that all are reported together. */
class ValidationTest {
  private static final String RETRY_KEYS =
      "maxRetries, initialBackoffMs, maxBackoffMs, maxRetryAfterMs, deadlineMs";

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retyr: {} | unknown key retyr (did you mean retry?); known keys at the top level: gateway,"
            + " regions, retry, breaker, health, rateLimit, stream, cache, degrade, tls, proxy,"
            + " transport",
        "retry: {maxRetrys: 1} | unknown key retry.maxRetrys (did you mean maxRetries?); known keys"
            + " in retry: "
            + RETRY_KEYS,
        "retry: {max_retries: 1} | unknown key retry.max_retries (did you mean maxRetries?); known"
            + " keys in retry: "
            + RETRY_KEYS,
        "retry: {jitter: 1} | unknown key retry.jitter; known keys in retry: " + RETRY_KEYS,
        "regions: [{name: a, apiKey: k}] | unknown key regions[0].apiKey (did you mean apiKeys?);"
            + " known keys in regions[0]: name, baseUrl, apiKeys, apiKeyFiles",
        "degrade: {localModel: {baseUrl: 'http://h:1/v1', model: m, modle: x}} | unknown key"
            + " degrade.localModel.modle (did you mean model?); known keys in degrade.localModel:"
            + " baseUrl, model, apiKey",
      })
  void unknownKeyIsNamedWithItsLevelAndASuggestion(String yaml, String problem) {
    assertEquals(List.of(problem), failure(yaml).problems());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gateway: {port: abc} | gateway.port must be an integer, got \"abc\"",
        "retry: {maxRetries: 2.5} | retry.maxRetries must be an integer, got 2.5",
        "retry: {maxRetries: [1]} | retry.maxRetries must be an integer, got a list",
        "stream: {resume: maybe} | stream.resume must be true or false, got \"maybe\"",
        "cache: {enabled: 1} | cache.enabled must be true or false, got 1",
        "gateway: {host: [a]} | gateway.host must be a string, got a list",
        "gateway: {tokens: {a: b}} | gateway.tokens must be a list of strings, got a mapping",
        "retry: 5 | retry must be a mapping of keys, got 5",
        "regions: {name: a} | regions must be a list of mappings, got a mapping",
        "regions: [a] | regions[0] must be a mapping of keys, got \"a\"",
        "degrade: {localModel: 5} | degrade.localModel must be a mapping of keys, got 5",
        "[1, 2] | the top level must be a mapping of sections (gateway:, regions:, retry:, …), got"
            + " a list",
      })
  void wrongTypeNamesKeyExpectedTypeAndValue(String yaml, String problem) {
    assertEquals(List.of(problem), failure(yaml).problems());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retry: {maxRetries: -1} | retry.maxRetries must be between 0 and 100, got -1",
        "retry: {deadlineMs: 0} | retry.deadlineMs must be between 1 and 86400000, got 0",
        "gateway: {port: 70000} | gateway.port must be between 0 and 65535, got 70000",
        "gateway: {port: 99999999999999999999} | gateway.port must be between 0 and 65535, got"
            + " 99999999999999999999",
        "gateway: {maxBodyBytes: 100} | gateway.maxBodyBytes must be between 1024 and 2147483647,"
            + " got 100",
        "breaker: {maxFailures: 0} | breaker.maxFailures must be between 1 and 1000000, got 0",
        "breaker: {windowMs: 0} | breaker.windowMs must be between 1 and 86400000, got 0",
        "health: {intervalMs: 10} | health.intervalMs must be between 100 and 86400000, got 10",
        "rateLimit: {requestsPerMinute: 0} | rateLimit.requestsPerMinute must be between 1 and"
            + " 1000000, got 0",
        "stream: {idleTimeoutMs: -5} | stream.idleTimeoutMs must be between 1 and 86400000, got -5",
        "cache: {ttlMs: 0} | cache.ttlMs must be between 1 and 31536000000, got 0",
        "transport: {maxConnections: 0} | transport.maxConnections must be between 1 and 100000,"
            + " got 0",
        "retry: {initialBackoffMs: 1000, maxBackoffMs: 500} | retry.maxBackoffMs (500) must be at"
            + " least retry.initialBackoffMs (1000)",
        "gateway: {host: ''} | gateway.host must not be empty",
        "gateway: {host: 'http://0.0.0.0'} | gateway.host must be a host name or IP address (no"
            + " scheme, no port), got \"http://0.0.0.0\"",
      })
  void outOfRangeNamesKeyAndAllowedRange(String yaml, String problem) {
    assertEquals(List.of(problem), failure(yaml).problems());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retry: {maxRetries: 0, initialBackoffMs: 0, maxBackoffMs: 0, maxRetryAfterMs: 0}",
        "gateway: {port: 0}",
        "gateway: {port: '8080'}",
        "rateLimit: {maxQueued: 0}",
        "degrade: {maxPendingTasks: 0}",
        "transport: {maxWaitQueue: 0}",
        "retry: {deadlineMs: 1.0e3}",
        "gateway: {host: '::1'}",
        "regions: [{name: a.b_c-1, baseUrl: 'http://my_service:8000/anthropic/'}]",
      })
  void edgesThatMakeSenseAreAccepted(String yaml) {
    load(yaml);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://api.anthropic.com/v1 | https://api.anthropic.com",
        "https://api.anthropic.com/v1/ | https://api.anthropic.com",
        "https://gw.example.com/anthropic/v1/messages | https://gw.example.com/anthropic",
      })
  void baseUrlWithV1IsExplained(String url, String root) {
    assertEquals(
        List.of(
            "regions[0].baseUrl must be the API root without /v1, got "
                + url
                + ": the relay appends /v1/messages itself, so this would call /v1/v1/messages;"
                + " use "
                + root),
        failure("regions: [{name: a, baseUrl: '" + url + "'}]").problems());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "api.anthropic.com | must be an http:// or https:// URL, got \"api.anthropic.com\"",
        "ftp://api.anthropic.com | must be an http:// or https:// URL, got"
            + " \"ftp://api.anthropic.com\"",
        "https://api.anthropic .com | must be an http:// or https:// URL without spaces, got"
            + " \"https://api.anthropic .com\"",
        "https://api.anthropic.com?api-key=k | must not have a query or fragment, got"
            + " \"https://api.anthropic.com?…\"",
      })
  void baseUrlMustBeAnHttpUrl(String url, String problem) {
    assertEquals(
        List.of("regions[0].baseUrl " + problem),
        failure("regions: [{name: a, baseUrl: '" + url + "'}]").problems());
  }

  @Test
  void baseUrlIsNormalizedWithoutTrailingSlash() {
    assertEquals(
        "https://api.anthropic.com",
        load("regions: [{name: a, baseUrl: 'https://api.anthropic.com//'}]")
            .defaultRegion()
            .baseUrl());
  }

  @Test
  void regionNamesAreRequiredWellFormedAndUnique() {
    ConfigException e =
        failure(
            """
            regions:
              - {baseUrl: 'https://a.example.com'}
              - {name: 'my region'}
              - {name: eu}
              - {name: eu}
            """);
    assertEquals(
        List.of(
            "regions[0].name is required",
            "regions[1].name must be 1 to 64 characters of letters, digits, '.', '_' and '-', got"
                + " \"my region\"",
            "regions[3].name eu is already the name of an earlier region; names must be unique"),
        e.problems());
  }

  @Test
  void emptyRegionListIsAnError() {
    assertEquals(
        List.of(
            "regions must list at least one region; remove the key to use the default region"
                + " anthropic (https://api.anthropic.com)"),
        failure("regions: []").problems());
  }

  @Test
  void regionPointingAtTheGatewayItselfIsAnError() {
    ConfigException e = failure("", env("ANTHROPIC_BASE_URL", "http://localhost:8080"));
    assertEquals(
        List.of(
            "regions[0].baseUrl http://localhost:8080 is this relay's own gateway"
                + " (127.0.0.1:8080): requests would loop back into the relay; it comes from"
                + " ANTHROPIC_BASE_URL, which points SDKs at the relay"),
        e.problems());
    load("", env("ANTHROPIC_BASE_URL", "http://localhost:8081"));
    load("gateway: {port: 0}", env("ANTHROPIC_BASE_URL", "http://localhost:8080"));
  }

  @Test
  void proxyAndLocalModelAreChecked() {
    ConfigException e =
        failure(
            """
            proxy: https://proxy:3128
            degrade: {localModel: {baseUrl: 'localhost:11434'}}
            """);
    assertEquals(
        List.of(
            "degrade.localModel.baseUrl must be an http:// or https:// URL, got"
                + " \"localhost:11434\"",
            "degrade.localModel.model is required",
            "proxy must be an http://, socks4:// or socks5:// URL such as http://proxy:3128, got"
                + " \"https://proxy:3128\""),
        e.problems());
  }

  @Test
  void yamlSyntaxErrorGivesThePosition() {
    ConfigException e = failure("gateway:\n  port: [8080\n");
    assertEquals(1, e.problems().size());
    assertTrue(
        e.problems().get(0).startsWith("invalid YAML at line 3, column 1: "), e.getMessage());
  }

  @Test
  void duplicateKeyIsAnError() {
    ConfigException e = failure("gateway:\n  port: 1\n  port: 2\n");
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).contains("Duplicate field 'port'"), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("invalid YAML at line 3"), e.getMessage());
  }

  @Test
  void secondYamlDocumentIsAnError() {
    ConfigException e = failure("gateway: {port: 1}\n---\ngateway: {port: 2}\n");
    assertEquals(
        List.of(
            "invalid YAML at line 3, column 1: a second YAML document (after ---); the"
                + " configuration is one document"),
        e.problems());
  }

  @Test
  void everyProblemIsReportedTogetherOnePerLine() {
    ConfigException e =
        failure(
            """
            gateway: {port: -1, prot: 1}
            regions: [{name: a, baseUrl: 'https://api.anthropic.com/v1'}]
            retry: {maxRetries: many}
            stream: {resume: '${RESUME}'}
            """,
            env("CLAUDE_RELAY_CACHE_TTL", "5"));
    List<String> problems = e.problems();
    assertEquals(6, problems.size(), e.getMessage());
    String[] lines = e.getMessage().split("\n");
    assertEquals(problems.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertEquals(ConfigTesting.SOURCE + ": " + problems.get(i), lines[i]);
    }
    assertTrue(problems.get(0).startsWith("gateway.port must be between 0 and 65535"));
    assertTrue(problems.get(1).startsWith("regions[0].baseUrl must be the API root"));
    assertTrue(problems.get(2).startsWith("retry.maxRetries must be an integer"));
    assertTrue(problems.get(3).startsWith("stream.resume uses ${RESUME}"));
    assertTrue(problems.get(4).startsWith("unknown key gateway.prot (did you mean port?)"));
    assertTrue(
        problems.get(5).startsWith("environment variable CLAUDE_RELAY_CACHE_TTL matches no"));
  }

  @Test
  void recordsRefuseInvalidValuesToo() {
    assertThrows(IllegalArgumentException.class, () -> new RetryConfig(-1, 0, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RetryConfig(1, 10, 5, 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new GatewayConfig("h", 70_000, List.of(), 1024));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RegionConfig("a", "https://api.anthropic.com/v1", List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RelayConfig(
                GatewayConfig.defaults(),
                List.of(),
                RetryConfig.defaults(),
                BreakerConfig.defaults(),
                HealthConfig.defaults(),
                RateLimitConfig.defaults(),
                StreamConfig.defaults(),
                CacheConfig.defaults(),
                DegradeConfig.defaults(),
                TlsConfig.defaults(),
                null,
                TransportConfig.defaults()));
  }
}
