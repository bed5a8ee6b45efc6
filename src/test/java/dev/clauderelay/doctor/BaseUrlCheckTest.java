package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseUrlCheckTest {

  @ParameterizedTest(name = "[{index}] {0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // url                                   | status | words in summary, cause or fix
        "https://api.anthropic.com               | PASS   | GET https://api.anthropic.com/v1/models",
        "https://api.anthropic.com/              | PASS   | GET https://api.anthropic.com/v1/models",
        "https://gw.corp/anthropic               | PASS   | path prefix /anthropic kept",
        "http://127.0.0.1:8090                   | PASS   | GET http://127.0.0.1:8090/v1/models",
        "http://localhost:8090                   | PASS   | localhost",
        "https://api.anthropic.com/v1            | FAIL   | set baseUrl to https://api.anthropic.com",
        "https://api.anthropic.com/v1/           | FAIL   | /v1/v1/models",
        "https://api.anthropic.com/v1/messages   | FAIL   | contains /v1",
        "https://gw.corp/anthropic/v1            | FAIL   | set baseUrl to https://gw.corp/anthropic",
        "https://api.anthropic.com/v2            | FAIL   | has no /v2",
        "https://api.anthropic.com/messages      | FAIL   | endpoint, not the API root",
        "' https://api.anthropic.com'            | FAIL   | spaces",
        "'https://api.anthropic.com '            | FAIL   | \"https://api.anthropic.com\"",
        "https://api.anthropic .com              | FAIL   | spaces",
        "api.anthropic.com                       | FAIL   | not an http:// or https:// URL",
        "ftp://api.anthropic.com                 | FAIL   | not an http:// or https:// URL",
        "https://api.anthropic.com?key=1         | FAIL   | query",
        "http://api.anthropic.com                | FAIL   | HTTPS only",
        "https://console.anthropic.com          | FAIL   | website",
        "https://anthropic.com                   | FAIL   | api.anthropic.com",
        "http://gateway.corp:8080                | WARN   | unencrypted",
        "''                                      | FAIL   | no base URL",
      })
  void findsThePitfalls(String url, CheckStatus status, String words) {
    CheckResult r = BaseUrlCheck.check(url);
    assertEquals(status, r.status(), r.toJson().encode());
    String text = r.summary() + " " + r.cause() + " " + r.fix();
    assertTrue(text.contains(words), text);
  }
}
