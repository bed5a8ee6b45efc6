package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.testing.FakeKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyCheckTest {
  private static final String GOOD = "sk-ant-api03-" + "FAKE".repeat(20) + "WXYZ";

  @ParameterizedTest(name = "[{index}] {0} @ {1} → {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // key                                      | host               | status | words
        "GOOD                                       | api.anthropic.com  | PASS   | Anthropic key format",
        "null                                       | api.anthropic.com  | FAIL   | no API key",
        "'   '                                      | api.anthropic.com  | FAIL   | no API key",
        "GOOD\"                                     | api.anthropic.com  | FAIL   | quotes",
        "sk-ant-api03-FAKE def-0123456789012345678901234567890 | x.y | FAIL   | spaces",
        "sk-ant-api03-...                           | api.anthropic.com  | FAIL   | placeholder",
        "${ANTHROPIC_API_KEY}                       | api.anthropic.com  | FAIL   | placeholder",
        "your-api-key-here-0123456789012345678901   | api.anthropic.com  | FAIL   | placeholder",
        FakeKeys.SK_ANT
            + "admin01-FAKE456789012345678901234567890123456789 | api.anthropic.com | FAIL | Admin",
        "sk-ant-api03-FAKEx                         | api.anthropic.com  | WARN   | only 18 characters",
        "sk-proj-0123456789012345678901234567890    | api.anthropic.com  | WARN   | does not start with sk-ant-",
        "gateway-token-0123456789                   | gateway.internal   | PASS   | gateway",
      })
  void judges(String key, String host, CheckStatus status, String words) {
    String k = key == null ? null : key.replace("GOOD", GOOD);
    CheckResult r = ApiKeyCheck.check(k, "apiKeys[0]", 1, host);
    assertEquals(status, r.status(), r.toJson().encode());
    String text = r.summary() + " " + r.cause();
    assertTrue(text.contains(words), text);
    if (k != null && k.length() > 8) {
      assertFalse(r.toJson().encode().contains(k.substring(0, k.length() - 4)), "no key shown");
    }
  }

  @org.junit.jupiter.api.Test
  void showsTheFingerprintAndThePool() {
    CheckResult r = ApiKeyCheck.check(GOOD, "apiKeys[0]", 3, "api.anthropic.com");
    assertEquals("sk-ant-…WXYZ (apiKeys[0], first of 3), Anthropic key format", r.summary());
    assertEquals("sk-ant-…WXYZ", r.details().getString("fingerprint"));
  }
}
