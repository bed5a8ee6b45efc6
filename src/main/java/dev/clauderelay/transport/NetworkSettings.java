package dev.clauderelay.transport;

import io.vertx.core.net.ClientOptionsBase;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the relay reaches its upstreams beyond the per-region limits: the proxy settings and the
 * extra trusted CAs. Shared by every region's transport and by {@code doctor}, so that the
 * diagnosis takes the path traffic takes.
 *
 * @param proxy the proxy settings ({@link ProxySettings#NONE} for none)
 * @param caBundle extra trusted CAs, or null for the JVM's trust store alone
 */
public record NetworkSettings(ProxySettings proxy, CaBundle caBundle) {

  /** No proxy, the JVM's CAs: what {@link RegionTransport}'s original constructor does. */
  public static final NetworkSettings DIRECT = new NetworkSettings(ProxySettings.NONE, null);

  public NetworkSettings {
    java.util.Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * The settings of a configuration: its {@code proxy} and {@code tls.caFile}, plus the standard
   * proxy variables of {@code env}. Reads the CA file: blocking, for startup or a worker thread.
   *
   * @param configuredProxy {@code proxy}, or null
   * @param caFile {@code tls.caFile}, or null
   * @param env the environment, e.g. {@code System.getenv()}
   * @throws IllegalArgumentException when the CA file cannot be used
   */
  public static NetworkSettings of(String configuredProxy, Path caFile, Map<String, String> env) {
    return new NetworkSettings(
        ProxySettings.of(configuredProxy, env), caFile == null ? null : CaBundle.read(caFile));
  }

  public ProxyChoice proxyFor(Endpoint target) {
    return ProxySelection.select(proxy, target);
  }

  /**
   * Applies the proxy for {@code target} and the trust to a client's options; call it after the
   * connect timeout is set. TLS verification is set on explicitly (it is Vert.x's default too): no
   * code path of the relay turns it off.
   *
   * @throws IllegalArgumentException when the proxy named for {@code target} is unusable; going
   *     direct instead would bypass a proxy the operator asked for
   */
  public ProxyChoice applyTo(ClientOptionsBase options, Endpoint target) {
    ProxyChoice choice = proxyFor(target);
    if (choice.problem() != null) {
      throw new IllegalArgumentException(choice.describe());
    }
    if (choice.proxy() != null) {
      // The proxy handshake (CONNECT, SOCKS) gets the client's connect limit, not Vert.x's 10 s.
      options.setProxyOptions(
          choice
              .proxy()
              .toProxyOptions()
              .setConnectTimeout(java.time.Duration.ofMillis(options.getConnectTimeout())));
    }
    if (caBundle != null) {
      options.setTrustOptions(caBundle.trustOptions());
    }
    options.setTrustAll(false);
    return choice;
  }
}
