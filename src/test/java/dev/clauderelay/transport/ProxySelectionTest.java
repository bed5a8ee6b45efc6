package dev.clauderelay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NO_PROXY matching and the choice between the configured proxy and the variables, by table. */
class ProxySelectionTest {

  @ParameterizedTest(name = "NO_PROXY \"{0}\" vs {1}:{2} → {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // list                         | host                 | port | matching entry
        "*                              | api.anthropic.com    | 443  | *",
        "example.com                    | example.com          | 443  | example.com",
        "example.com                    | api.example.com      | 443  | example.com",
        "example.com                    | notexample.com       | 443  | null",
        ".example.com                   | api.example.com      | 443  | .example.com",
        ".example.com                   | example.com          | 443  | .example.com",
        "*.example.com                  | a.b.example.com      | 443  | *.example.com",
        "EXAMPLE.com                    | Api.Example.COM      | 443  | EXAMPLE.com",
        "example.com.                   | api.example.com      | 443  | example.com.",
        "example.com                    | api.example.com.     | 443  | example.com",
        "localhost,127.0.0.1            | 127.0.0.1            | 8080 | 127.0.0.1",
        "localhost 127.0.0.1            | localhost            | 8080 | localhost",
        "' a.com ,, b.com '             | b.com                | 443  | b.com",
        "127.0.0.1                      | 127.0.0.2            | 443  | null",
        "10.0.0.0/8                     | 10.1.2.3             | 443  | 10.0.0.0/8",
        "10.0.0.0/8                     | 11.1.2.3             | 443  | null",
        "192.168.1.0/24                 | 192.168.1.77         | 443  | 192.168.1.0/24",
        "192.168.1.0/24                 | 192.168.2.77         | 443  | null",
        "10.0.0.0/8                     | ten.example          | 443  | null",
        "0.0.0.0/0                      | 8.8.8.8              | 443  | 0.0.0.0/0",
        "::1                            | ::1                  | 443  | ::1",
        "[::1]                          | [::1]                | 443  | [::1]",
        "[::1]:8443                     | ::1                  | 8443 | [::1]:8443",
        "[::1]:8443                     | ::1                  | 443  | null",
        "fd00::/8                       | fd12::1              | 443  | fd00::/8",
        "fd00::/8                       | fe80::1              | 443  | null",
        "example.com:8443               | example.com          | 8443 | example.com:8443",
        "example.com:8443               | example.com          | 443  | null",
        "example.com:bad                | example.com          | 443  | null",
        "300.1.1.1                      | 300.1.1.1            | 443  | 300.1.1.1",
        ".                              | example.com          | 443  | null",
        "''                             | example.com          | 443  | null",
        "null                           | example.com          | 443  | null",
      })
  void noProxyEntries(String list, String host, int port, String expected) {
    assertEquals(expected, ProxySelection.matchingEntry(list, host, port));
  }

  private static ProxySettings settings(String configured, String... env) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < env.length; i += 2) {
      map.put(env[i], env[i + 1]);
    }
    return ProxySettings.of(configured, map);
  }

  @Test
  void httpsUsesHttpsProxyAndHttpUsesHttpProxy() {
    ProxySettings s =
        settings(null, "HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "plain:8080");
    ProxyChoice https = ProxySelection.select(s, Endpoint.of("https://api.anthropic.com"));
    assertEquals("secure", https.proxy().host());
    assertEquals("HTTPS_PROXY", https.setting().source());
    ProxyChoice http = ProxySelection.select(s, Endpoint.of("http://gateway.local:8080"));
    assertEquals("plain", http.proxy().host());
    assertEquals(8080, http.proxy().port());
  }

  @Test
  void upperCaseWinsOverLowerCaseAndBlankIsUnset() {
    ProxySettings s =
        settings(null, "https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2");
    assertEquals("upper", ProxySelection.select(s, Endpoint.of("https://a.b")).proxy().host());
    ProxySettings blank = settings(null, "HTTPS_PROXY", "  ", "https_proxy", "http://lower:1");
    ProxyChoice c = ProxySelection.select(blank, Endpoint.of("https://a.b"));
    assertEquals("lower", c.proxy().host());
    assertEquals("https_proxy", c.setting().source());
  }

  @Test
  void theConfiguredProxyWinsOverTheVariablesAndNoProxyStillApplies() {
    ProxySettings s =
        settings("http://configured:3128", "HTTPS_PROXY", "http://env:1", "NO_PROXY", "internal");
    ProxyChoice c = ProxySelection.select(s, Endpoint.of("https://api.anthropic.com"));
    assertEquals("configured", c.proxy().host());
    assertEquals("proxy", c.setting().source());
    ProxyChoice bypassed = ProxySelection.select(s, Endpoint.of("https://api.internal"));
    assertTrue(bypassed.direct());
    assertEquals("internal", bypassed.bypassedBy());
    assertTrue(bypassed.describe().contains("NO_PROXY entry \"internal\""), bypassed.describe());
  }

  @Test
  void noSettingMeansDirect() {
    ProxyChoice c = ProxySelection.select(ProxySettings.NONE, Endpoint.of("https://a.b"));
    assertTrue(c.direct());
    assertNull(c.setting());
    assertEquals("direct (no proxy configured)", c.describe());
  }

  @Test
  void anUnusableProxyIsAProblemNotASilentDirectConnection() {
    ProxySettings s = settings(null, "HTTPS_PROXY", "https://user:secret@proxy:443");
    ProxyChoice c = ProxySelection.select(s, Endpoint.of("https://a.b"));
    assertTrue(c.direct());
    assertNotNull(c.problem());
    assertTrue(c.problem().contains("https://"), c.problem());
    assertTrue(!c.describe().contains("secret"), c.describe());
  }
}
