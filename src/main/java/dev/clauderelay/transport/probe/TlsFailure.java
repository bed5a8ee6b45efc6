package dev.clauderelay.transport.probe;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Why a TLS handshake failed, read from the exception chain JSSE and Netty produce. Pure. */
public enum TlsFailure {
  /** The chain does not lead to a trusted CA: self-signed, private CA, intercepting proxy. */
  UNKNOWN_ISSUER,
  /** The certificate is not for the host name asked for. */
  HOSTNAME_MISMATCH,
  /** The certificate's validity ended. */
  EXPIRED,
  /** The certificate's validity has not begun: usually the local clock is behind. */
  NOT_YET_VALID,
  /** The chain was refused for another reason (revoked, bad signature, constraints). */
  UNTRUSTED,
  /** The other side does not speak TLS (plain HTTP on that port, another protocol). */
  NOT_TLS,
  /** No protocol version or cipher suite in common. */
  NO_COMMON_PROTOCOL,
  /** The connection was closed or reset during the handshake. */
  CLOSED,
  /** No handshake answer in time. */
  TIMED_OUT,
  /** Anything else. */
  OTHER;

  public static TlsFailure classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return EXPIRED;
      }
      if (t instanceof CertificateNotYetValidException) {
        return NOT_YET_VALID;
      }
      if (t instanceof CertPathBuilderException) {
        return UNKNOWN_ISSUER;
      }
      String m = message(t);
      if (m.contains("no subject alternative")
          || m.contains("no name matching")
          || m.contains("doesn't match any of the subject alternative names")) {
        return HOSTNAME_MISMATCH;
      }
      if (m.contains("unable to find valid certification path")
          || m.contains("pkix path building failed")) {
        return UNKNOWN_ISSUER;
      }
      if (t instanceof CertPathValidatorException) {
        return m.contains("validity check failed") ? EXPIRED : UNTRUSTED;
      }
      if (t.getClass().getName().endsWith("NotSslRecordException")
          || m.contains("unsupported or unrecognized ssl message")
          || m.contains("not an ssl/tls record")) {
        return NOT_TLS;
      }
      if (m.contains("protocol_version")
          || m.contains("no appropriate protocol")
          || m.contains("no negotiable cipher suite")
          || m.contains("handshake_failure")) {
        return NO_COMMON_PROTOCOL;
      }
      if (t instanceof TimeoutException
          || t.getClass().getName().endsWith("SslHandshakeTimeoutException")
          || m.contains("handshake timed out")) {
        return TIMED_OUT;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = message(t);
      if (t instanceof ClosedChannelException
          || m.contains("connection reset")
          || m.contains("connection closed")
          || m.contains("remote host terminated the handshake")
          || m.contains("closed")) {
        return CLOSED;
      }
    }
    return OTHER;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
  }
}
