package dev.clauderelay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.health.TestCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaBundleTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void readsEveryCertificateBlockAndIgnoresTextAround() throws Exception {
    Path file =
        write("bundle.pem", "# corporate root\n" + TestCert.CERT + "\nsome note\n" + TestCert.CERT);
    CaBundle bundle = CaBundle.read(file);
    assertEquals(2, bundle.certificates().size());
    assertEquals("CN=localhost", bundle.certificates().get(0).getSubjectX500Principal().getName());
  }

  @Test
  void trustsTheBundleInAdditionToTheJvmCas() throws Exception {
    CaBundle bundle = CaBundle.read(write("ca.pem", TestCert.CERT));
    X509TrustManager tm = (X509TrustManager) bundle.trustManagerFactory().getTrustManagers()[0];
    List<X509Certificate> issuers = List.of(tm.getAcceptedIssuers());
    assertTrue(issuers.contains(bundle.certificates().get(0)));
    int jvm = CaBundle.jvmDefaultIssuers().size();
    assertEquals(jvm + 1, issuers.size(), "the JVM's CAs are kept");
  }

  @Test
  void aMissingFileSaysWhereRelativePathsStart() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CaBundle.read(dir.resolve("absent.pem")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("working directory"), e.getMessage());
  }

  @Test
  void aPrivateKeyIsNotACertificate() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CaBundle.read(write("key.pem", TestCert.KEY)));
    assertTrue(e.getMessage().contains("private key"), e.getMessage());
  }

  @Test
  void aFileWithoutPemBlocksSaysPemIsExpected() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CaBundle.read(write("x.pem", "hello\n")));
    assertTrue(e.getMessage().contains("PEM expected"), e.getMessage());
  }

  @Test
  void aDamagedBlockIsReported() throws Exception {
    String damaged = TestCert.CERT.replace("MIIB", "AAAA");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CaBundle.read(write("bad.pem", damaged)));
    assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
  }
}
