package dev.clauderelay.transport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exception shapes JSSE and Netty produce, and what they mean. */
class TlsFailureTest {

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            handshake(
                "PKIX path building failed",
                new CertPathBuilderException(
                    "unable to find valid certification path to requested target")),
            TlsFailure.UNKNOWN_ISSUER),
        Arguments.of(
            new SSLHandshakeException(
                "PKIX path building failed: sun.security.provider.certpath"
                    + ".SunCertPathBuilderException: unable to find valid certification path"),
            TlsFailure.UNKNOWN_ISSUER),
        Arguments.of(
            handshake(
                "No subject alternative DNS name matching api.example.com found.",
                new CertificateException(
                    "No subject alternative DNS name matching api.example.com found.")),
            TlsFailure.HOSTNAME_MISMATCH),
        Arguments.of(
            new SSLHandshakeException("No name matching localhost found"),
            TlsFailure.HOSTNAME_MISMATCH),
        Arguments.of(
            handshake("x", new CertificateExpiredException("NotAfter: Sat Jan 01")),
            TlsFailure.EXPIRED),
        Arguments.of(
            handshake("x", new CertPathValidatorException("validity check failed")),
            TlsFailure.EXPIRED),
        Arguments.of(
            handshake("x", new CertificateNotYetValidException("NotBefore: 2099")),
            TlsFailure.NOT_YET_VALID),
        Arguments.of(
            handshake("x", new CertPathValidatorException("Certificate has been revoked")),
            TlsFailure.UNTRUSTED),
        Arguments.of(
            new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message"),
            TlsFailure.NOT_TLS),
        Arguments.of(
            new IOException("not an SSL/TLS record: 485454502f312e31"), TlsFailure.NOT_TLS),
        Arguments.of(
            new SSLHandshakeException("Received fatal alert: protocol_version"),
            TlsFailure.NO_COMMON_PROTOCOL),
        Arguments.of(
            new SSLHandshakeException("No appropriate protocol (protocol is disabled)"),
            TlsFailure.NO_COMMON_PROTOCOL),
        Arguments.of(new TimeoutException("no answer within 500 ms"), TlsFailure.TIMED_OUT),
        Arguments.of(
            new javax.net.ssl.SSLException("handshake timed out after 10000ms"),
            TlsFailure.TIMED_OUT),
        Arguments.of(new ClosedChannelException(), TlsFailure.CLOSED),
        Arguments.of(
            new SSLHandshakeException("Remote host terminated the handshake"), TlsFailure.CLOSED),
        Arguments.of(new IOException("Connection reset by peer"), TlsFailure.CLOSED),
        Arguments.of(new IllegalStateException("weird"), TlsFailure.OTHER));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("cases")
  void classifies(Throwable failure, TlsFailure expected) {
    assertEquals(expected, TlsFailure.classify(failure));
  }
}
