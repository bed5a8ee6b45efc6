package dev.clauderelay.config;

import static dev.clauderelay.config.ConfigTesting.env;
import static dev.clauderelay.config.ConfigTesting.failure;
import static dev.clauderelay.config.ConfigTesting.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No API key, token or URL password ever shows in a problem, toString or toSafeJson. */
class SecretsTest {
  private static final String KEY = FakeKeys.SK_ANT + "api03-FAKE-TOPSECRETKEYVALUE-a1b2";
  private static final String TOKEN = "gateway-token-TOPSECRET-c3d4";
  private static final String LOCAL_KEY = "local-model-TOPSECRET-e5f6";
  private static final String PASSWORD = "pr0xyTOPSECRET";
  private static final List<String> SECRETS = List.of(KEY, TOKEN, LOCAL_KEY, PASSWORD, "TOPSECRET");

  static Stream<Arguments> leakyMistakes() {
    return Stream.of(
        Arguments.of(
            "key with a space", "regions: [{name: a, apiKeys: ['" + KEY + " x']}]", Map.of()),
        Arguments.of(
            "key as a mapping", "regions: [{name: a, apiKeys: {k: " + KEY + "}}]", Map.of()),
        Arguments.of("key pasted as a key", KEY + ": 1\n", Map.of()),
        Arguments.of("key in a number", "gateway: {port: " + KEY + "}", Map.of()),
        Arguments.of(
            "key in a syntax error", "regions:\n- name: a\n  apiKeys: [" + KEY + "\n", Map.of()),
        Arguments.of("key on a bad line", "regions:\n  - name: a\n" + KEY + "\n", Map.of()),
        Arguments.of("token with a tab", "gateway: {tokens: ['" + TOKEN + "\t2']}", Map.of()),
        Arguments.of(
            "local key as a list",
            "degrade: {localModel: {baseUrl: 'http://h:1/v1', model: m, apiKey: ["
                + LOCAL_KEY
                + "]}}",
            Map.of()),
        Arguments.of(
            "local key with a newline",
            "degrade: {localModel: {baseUrl: 'http://h:1/v1', model: m, apiKey: '${LK}'}}",
            Map.of("LK", LOCAL_KEY + "\nx")),
        Arguments.of("variable key with a newline", "", Map.of("ANTHROPIC_API_KEY", KEY + "\nx")),
        Arguments.of(
            "token variable with a space", "", Map.of("CLAUDE_RELAY_GATEWAY_TOKENS", TOKEN + " x")),
        Arguments.of(
            "proxy password in a bad URL",
            "proxy: 'https://u:" + PASSWORD + "@proxy:3128'",
            Map.of()),
        Arguments.of(
            "key in a query",
            "regions: [{name: a, baseUrl: 'https://h/x?api-key=" + PASSWORD + "'}]",
            Map.of()),
        Arguments.of(
            "password in a /v1 base URL",
            "regions: [{name: a, baseUrl: 'https://u:" + PASSWORD + "@h/v1'}]",
            Map.of()));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("leakyMistakes")
  void problemsNeverShowASecret(String what, String yaml, Map<String, String> env) {
    ConfigException e = failure(yaml, env);
    assertNoSecret(e.getMessage());
  }

  @Test
  void problemsShowFingerprints() {
    String spaced = "sk-ant-api03-TOPSECRET x-a1b2";
    assertEquals(
        List.of(
            "gateway.port must be an integer, got \"sk-ant-…a1b2\"",
            "regions[0].apiKeys holds a value with spaces or control characters (sk-ant-…a1b2)"),
        failure("gateway: {port: " + KEY + "}\nregions: [{name: a, apiKeys: ['" + spaced + "']}]")
            .problems());
  }

  @Test
  void safeJsonAndToStringShowOnlyFingerprints() {
    RelayConfig c =
        load(
            """
            gateway: {tokens: ['${TOKEN}']}
            regions: [{name: a, apiKeys: ['${KEY}']}]
            degrade: {localModel: {baseUrl: 'http://h:1/v1', model: m, apiKey: '${LOCAL}'}}
            proxy: 'http://user:${PASSWORD}@proxy:3128'
            """,
            env("TOKEN", TOKEN, "KEY", KEY, "LOCAL", LOCAL_KEY, "PASSWORD", PASSWORD));
    assertEquals(List.of(KEY), c.defaultRegion().apiKeys());
    String json = c.toSafeJson().encode();
    for (String text :
        List.of(
            json,
            c.toString(),
            c.gateway().toString(),
            c.defaultRegion().toString(),
            c.degrade().toString(),
            c.degrade().localModel().toString())) {
      assertNoSecret(text);
    }
    assertTrue(json.contains("\"apiKeys\":[\"sk-ant-…a1b2\"]"), json);
    assertTrue(json.contains("\"tokens\":[\"…c3d4\"]"), json);
    assertTrue(json.contains("\"apiKey\":\"…e5f6\""), json);
    assertTrue(json.contains("\"proxy\":\"http://user:***@proxy:3128\""), json);
  }

  private static void assertNoSecret(String text) {
    for (String secret : SECRETS) {
      assertFalse(text.contains(secret), () -> "leaks " + secret + ": " + text);
    }
  }
}
