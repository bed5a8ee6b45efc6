package dev.clauderelay.transport;

import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra trusted CAs from a PEM file ({@code tls.caFile}), trusted <em>in addition to</em> the JVM's
 * own: a corporate TLS-inspecting proxy's root must not make api.anthropic.com's public CA
 * untrusted when the proxy is bypassed. Verification (chain and host name) always stays on; there
 * is no way to turn it off here.
 *
 * @param file the file read
 * @param certificates its certificates, in file order, at least one
 */
public record CaBundle(Path file, List<X509Certificate> certificates) {

  private static final Pattern PEM_CERT =
      Pattern.compile(
          "-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END"
              + " (?:X509 |TRUSTED )?CERTIFICATE-----");

  public CaBundle {
    certificates = List.copyOf(certificates);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a CA bundle holds at least one certificate");
    }
  }

  /**
   * Reads a PEM bundle: any number of {@code CERTIFICATE} blocks, text between them ignored (as in
   * the bundles of ca-certificates). Blocking file I/O: call at startup or on a worker thread.
   *
   * @throws IllegalArgumentException saying what is wrong with the file, for the operator
   */
  public static CaBundle read(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "CA file "
              + file
              + " does not exist (relative paths are relative to the working directory "
              + Path.of("").toAbsolutePath()
              + ")",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("CA file " + file + " cannot be read: " + e, e);
    }
    List<X509Certificate> certs = new ArrayList<>();
    Matcher m = PEM_CERT.matcher(text);
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CA file " + file + " holds a certificate block that does not parse: " + e.getMessage(),
          e);
    }
    if (certs.isEmpty()) {
      String why =
          text.contains("PRIVATE KEY-----")
              ? "holds a private key but no CERTIFICATE block; the CA's certificate is needed, never"
                  + " a key"
              : text.startsWith("0")
                  ? "looks like DER (binary); convert it with: openssl x509 -inform der -in"
                      + " ca.der -out ca.pem"
                  : "holds no -----BEGIN CERTIFICATE----- block (PEM expected)";
      throw new IllegalArgumentException("CA file " + file + " " + why);
    }
    return new CaBundle(file, certs);
  }

  /**
   * A trust manager factory trusting the JVM's default CAs plus this bundle's. Each call builds a
   * new one.
   */
  public TrustManagerFactory trustManagerFactory() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : jvmDefaultIssuers()) {
        store.setCertificateEntry("jvm-" + i++, ca);
      }
      i = 0;
      for (X509Certificate ca : certificates) {
        store.setCertificateEntry("ca-file-" + i++, ca);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store: " + e, e);
    }
  }

  /** The Vert.x form of {@link #trustManagerFactory()}. */
  public TrustOptions trustOptions() {
    return TrustOptions.wrap(trustManagerFactory());
  }

  /** The CAs the JVM trusts by default (its {@code cacerts}, or the trust store set by flags). */
  static List<X509Certificate> jvmDefaultIssuers() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> issuers = new ArrayList<>();
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        issuers.addAll(List.of(x.getAcceptedIssuers()));
      }
    }
    return issuers;
  }
}
