package dev.clauderelay.transport.probe;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a TLS handshake showed: protocol, cipher, and the server's certificate.
 *
 * @param protocol e.g. {@code TLSv1.3}; null when the handshake did not finish
 * @param cipherSuite null when the handshake did not finish
 * @param subject the leaf certificate's subject (RFC 2253), null when none was presented
 * @param issuer the leaf certificate's issuer (RFC 2253)
 * @param notAfter end of the leaf certificate's validity
 * @param names the leaf certificate's DNS and IP subject alternative names
 * @param chainLength certificates presented
 */
public record TlsDetails(
    String protocol,
    String cipherSuite,
    String subject,
    String issuer,
    Instant notAfter,
    List<String> names,
    int chainLength) {

  public TlsDetails {
    names = names == null ? List.of() : List.copyOf(names);
  }

  /** The details of an established session. */
  public static TlsDetails of(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (var c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      // Anonymous cipher: no certificate to describe.
    }
    return of(session.getProtocol(), session.getCipherSuite(), chain);
  }

  /** The details of a presented chain (leaf first), e.g. one that was refused. */
  public static TlsDetails of(String protocol, String cipherSuite, List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return new TlsDetails(protocol, cipherSuite, null, null, null, List.of(), 0);
    }
    X509Certificate leaf = chain.get(0);
    return new TlsDetails(
        protocol,
        cipherSuite,
        leaf.getSubjectX500Principal().getName(),
        leaf.getIssuerX500Principal().getName(),
        leaf.getNotAfter().toInstant(),
        names(leaf),
        chain.size());
  }

  /** Whether the leaf names itself as its issuer. */
  public boolean selfSigned() {
    return subject != null && subject.equals(issuer);
  }

  private static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alt = cert.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          // 2 = dNSName, 7 = iPAddress (RFC 5280).
          Object type = entry.get(0);
          if ((Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type))
              && entry.get(1) instanceof String name) {
            names.add(name);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // No usable names: the host name check will say so.
    }
    return names;
  }
}
