package dev.clauderelay.health;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} (EC P-256, valid until
 * 2126), for TLS tests. Made once with {@code openssl req -x509 -newkey ec ... -addext
 * "subjectAltName=DNS:localhost,IP:127.0.0.1"}: Vert.x's and Netty's self-signed generators are
 * deprecated for removal. Public for the TLS tests of other packages ({@code doctor}).
 */
public final class TestCert {
  public static final String CERT =
      "-----BEGIN CERTIFICATE-----\n"
          + "MIIBmzCCAUGgAwIBAgIUHzLhIGk65tietcoB5pXNdyzoADcwCgYIKoZIzj0EAwIw\n"
          + "FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjA5MDczN1oYDzIxMjYxMTAy\n"
          + "MDkwNzM3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
          + "PQMBBwNCAARj3vR+mDcVe1XCwQMuyDzZMkn72Ih+REx6H/y5TKnkMm+W6VA9CwGS\n"
          + "xeUqBhRiNflpY268mWZVLDQBEEIUlPrlo28wbTAdBgNVHQ4EFgQU194ATC/O09Ig\n"
          + "RkVoZ5BqkIGO+9QwHwYDVR0jBBgwFoAU194ATC/O09IgRkVoZ5BqkIGO+9QwDwYD\n"
          + "VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI\n"
          + "zj0EAwIDSAAwRQIgPdsQ4Ogc8xG9dHUO0QWbBRv0Hj54oHndz/LQQVAMMd8CIQCV\n"
          + "HAn1A3WpUxIz72NXPwUTc4ZmNArlcy0uYvOyBIy/yQ==\n"
          + "-----END CERTIFICATE-----\n";

  public static final String KEY =
      "-----BEGIN PRIVATE KEY-----\n"
          + "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3mi5kMkE4lR/sPQQ\n"
          + "ufA/p6XjQUPSP2J3mizvmGyIiK6hRANCAARj3vR+mDcVe1XCwQMuyDzZMkn72Ih+\n"
          + "REx6H/y5TKnkMm+W6VA9CwGSxeUqBhRiNflpY268mWZVLDQBEEIUlPrl\n"
          + "-----END PRIVATE KEY-----\n";

  private TestCert() {}

  public static PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(CERT))
        .addKeyValue(Buffer.buffer(KEY));
  }

  public static PemTrustOptions trust() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(CERT));
  }
}
