package dev.clauderelay.transport.probe;

import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that remembers the certificate chain the server presented, then lets the real
 * trust manager decide. It changes no verdict: it exists so that a failed handshake can still say
 * whose certificate was refused (an intercepting proxy's issuer, a self-signed test server).
 */
public final class ChainRecorder extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final AtomicReference<List<X509Certificate>> presented = new AtomicReference<>(List.of());

  /**
   * @param trust the decision maker; null for the JVM's default trust store
   */
  public ChainRecorder(TrustManagerFactory trust) {
    this.delegate = extended(trust);
  }

  /** The chain of the last handshake, leaf first; empty before any. */
  public List<X509Certificate> presented() {
    return presented.get();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    record(chain);
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void record(X509Certificate[] chain) {
    presented.set(chain == null ? List.of() : List.of(chain));
  }

  private static X509ExtendedTrustManager extended(TrustManagerFactory trust) {
    try {
      TrustManagerFactory factory = trust;
      if (factory == null) {
        factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
      }
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no default trust manager: " + e, e);
    }
    throw new IllegalStateException("the trust manager factory has no X509ExtendedTrustManager");
  }
}
