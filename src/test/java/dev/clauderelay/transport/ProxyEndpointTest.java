package dev.clauderelay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Proxy URL parsing, by table; passwords never appear in what is shown. */
class ProxyEndpointTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // url                                  | type   | host        | port | shown
        "http://proxy:3128                      | HTTP   | proxy       | 3128 | http://proxy:3128",
        "proxy.corp:8080                        | HTTP   | proxy.corp  | 8080 | http://proxy.corp:8080",
        "http://proxy                           | HTTP   | proxy       | 80   | http://proxy:80",
        "http://proxy:3128/                     | HTTP   | proxy       | 3128 | http://proxy:3128",
        "HTTP://Proxy:3128                      | HTTP   | Proxy       | 3128 | http://Proxy:3128",
        "socks5://127.0.0.1                     | SOCKS5 | 127.0.0.1   | 1080 | socks5://127.0.0.1:1080",
        "socks5h://s:9050                       | SOCKS5 | s           | 9050 | socks5://s:9050",
        "socks4://s:1081                        | SOCKS4 | s           | 1081 | socks4://s:1081",
        "http://user:p%40ss@proxy:3128          | HTTP   | proxy       | 3128 | http://user:***@proxy:3128",
        "http://token@proxy:3128                | HTTP   | proxy       | 3128 | http://***@proxy:3128",
        "http://[::1]:3128                      | HTTP   | ::1         | 3128 | http://[::1]:3128",
        "'  http://proxy:3128  '                | HTTP   | proxy       | 3128 | http://proxy:3128",
      })
  void parses(String url, ProxyType type, String host, int port, String shown) {
    ProxyEndpoint p = ProxyEndpoint.parse(url);
    assertEquals(type, p.type());
    assertEquals(host, p.host());
    assertEquals(port, p.port());
    assertEquals(shown, p.toString());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://user:secret@proxy:443 | https://",
        "ftp://proxy:21                | ftp",
        "http://                       | URL",
        "http://proxy:3128/path        | path",
        "http://proxy:3128?x=1         | path or query",
        "http://pro xy:3128            | spaces",
        "''                            | empty",
      })
  void refusesWithAReason(String url, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProxyEndpoint.parse(url));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void credentialsReachTheVertxOptionsDecoded() {
    ProxyOptions o = ProxyEndpoint.parse("http://user:p%40ss@proxy:3128").toProxyOptions();
    assertEquals("user", o.getUsername());
    assertEquals("p@ss", o.getPassword());
    assertEquals(ProxyType.HTTP, o.getType());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://user:secret@proxy:3128 | http://user:***@proxy:3128",
        "http://secret@proxy:3128      | http://***@proxy:3128",
        "proxy:3128                    | proxy:3128",
        "http://proxy/a@b              | http://proxy/a@b",
      })
  void redacts(String url, String expected) {
    assertEquals(expected, ProxyEndpoint.redact(url));
  }
}
