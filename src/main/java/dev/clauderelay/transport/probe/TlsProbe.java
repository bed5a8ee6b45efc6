package dev.clauderelay.transport.probe;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import javax.net.ssl.TrustManagerFactory;

/** The TLS options of a handshake check: the trust given, host names always verified. */
public final class TlsProbe {
  /** The JSSE name of RFC 2818 host name checking (the check browsers and SDKs make). */
  public static final String HOSTNAME_VERIFICATION = "HTTPS";

  private TlsProbe() {}

  /**
   * {@code base}'s options (a copy; null means the JVM's trust store) with host name verification
   * set when {@code base} did not set it.
   */
  public static ClientSSLOptions verifying(ClientSSLOptions base) {
    ClientSSLOptions options = base == null ? new ClientSSLOptions() : new ClientSSLOptions(base);
    String algorithm = options.getHostnameVerificationAlgorithm();
    if (algorithm == null || algorithm.isEmpty()) {
      options.setHostnameVerificationAlgorithm(HOSTNAME_VERIFICATION);
    }
    return options;
  }

  /**
   * Options that trust {@code trust} (null: the JVM's trust store), verify host names, and record
   * the presented chain in {@code recorder}.
   */
  public static ClientSSLOptions recording(ChainRecorder recorder) {
    return new ClientSSLOptions()
        .setTrustOptions(TrustOptions.wrap(recorder))
        .setHostnameVerificationAlgorithm(HOSTNAME_VERIFICATION);
  }

  /** A recorder deciding with {@code trust}, or with the JVM's trust store when null. */
  public static ChainRecorder recorder(TrustManagerFactory trust) {
    return new ChainRecorder(trust);
  }
}
