package dev.clauderelay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "https://api.anthropic.com, https, api.anthropic.com, 443, api.anthropic.com:443",
    "http://127.0.0.1:8090, http, 127.0.0.1, 8090, 127.0.0.1:8090",
    "HTTPS://API.Example.COM/prefix, https, api.example.com, 443, api.example.com:443",
    "https://[::1]:8443, https, ::1, 8443, [::1]:8443",
    "http://gateway, http, gateway, 80, gateway:80",
  })
  void parses(String url, String scheme, String host, int port, String authority) {
    Endpoint e = Endpoint.of(url);
    assertEquals(scheme, e.scheme());
    assertEquals(host, e.host());
    assertEquals(port, e.port());
    assertEquals(authority, e.authority());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://a.b", "api.anthropic.com", "https://", "not a url"})
  void refuses(String url) {
    assertThrows(IllegalArgumentException.class, () -> Endpoint.of(url));
  }
}
