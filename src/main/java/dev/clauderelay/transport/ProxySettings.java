package dev.clauderelay.transport;

import java.util.Map;

/**
 * The proxy settings in force: the configured {@code proxy} and the standard environment variables.
 * Each value remembers where it came from, so that a diagnosis can name it. The environment is a
 * parameter, never {@link System#getenv()} read here, so that tests and embedders decide what it
 * holds.
 *
 * @param configured the {@code proxy} key of the configuration, or null
 * @param https {@code HTTPS_PROXY} (else {@code https_proxy}), or null
 * @param http {@code HTTP_PROXY} (else {@code http_proxy}), or null
 * @param noProxy {@code NO_PROXY} (else {@code no_proxy}), or null
 */
public record ProxySettings(Setting configured, Setting https, Setting http, Setting noProxy) {

  /** No proxy from anywhere: the behaviour of the transport's original constructor. */
  public static final ProxySettings NONE = new ProxySettings(null, null, null, null);

  /** Name of the configuration key, as shown in diagnoses. */
  public static final String CONFIG_KEY = "proxy";

  /**
   * One value and its origin.
   *
   * @param source {@code proxy} (the configuration key) or the variable's name, e.g. {@code
   *     HTTPS_PROXY}
   * @param value as given; may hold a password (show {@link ProxyEndpoint#redact})
   */
  public record Setting(String source, String value) {
    @Override
    public String toString() {
      return source + "=" + ProxyEndpoint.redact(value);
    }
  }

  /**
   * Reads the settings. Upper-case variables win over lower-case ones, as in Go's proxy support;
   * blank values count as unset.
   *
   * @param configuredProxy the configuration's {@code proxy}, or null
   */
  public static ProxySettings of(String configuredProxy, Map<String, String> env) {
    return new ProxySettings(
        blank(configuredProxy) ? null : new Setting(CONFIG_KEY, configuredProxy.strip()),
        variable(env, "HTTPS_PROXY"),
        variable(env, "HTTP_PROXY"),
        variable(env, "NO_PROXY"));
  }

  private static Setting variable(Map<String, String> env, String upper) {
    for (String name : new String[] {upper, upper.toLowerCase(java.util.Locale.ROOT)}) {
      String value = env.get(name);
      if (!blank(value)) {
        return new Setting(name, value.strip());
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
