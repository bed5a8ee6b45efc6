package dev.clauderelay.transport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.health.TestCert;
import dev.clauderelay.testing.Await;
import dev.clauderelay.transport.CaBundle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes against a local server with the fixed self-signed certificate. */
class TlsProbeTest {
  @TempDir Path dir;
  private Vertx vertx;
  private NetClient client;
  private int tlsPort;
  private int plainPort;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createNetClient();
    NetServer tls =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(TestCert.keyCert()));
    tls.connectHandler(socket -> {});
    tlsPort = Await.result(tls.listen()).actualPort();
    NetServer plain = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    plain.connectHandler(
        socket -> socket.handler(b -> socket.write("HTTP/1.1 400 Bad Request\r\n\r\n")));
    plainPort = Await.result(plain.listen()).actualPort();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  /** Connects to 127.0.0.1 as if {@code name} had resolved to it, then shakes hands. */
  private Future<Void> handshake(int port, String name, ChainRecorder recorder) throws Exception {
    NetSocket socket =
        Await.result(
            client.connect(
                HostResolver.socketAddress(name, InetAddress.getByName("127.0.0.1"), port)));
    return socket.upgradeToSsl(TlsProbe.recording(recorder), name);
  }

  private ChainRecorder trustingTestCert() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), TestCert.CERT);
    return TlsProbe.recorder(CaBundle.read(ca).trustManagerFactory());
  }

  @Test
  void aSelfSignedCertificateIsAnUnknownIssuerAndItsChainIsStillShown() throws Exception {
    ChainRecorder recorder = TlsProbe.recorder(null);
    Throwable failure = Await.failure(handshake(tlsPort, "localhost", recorder));
    assertEquals(TlsFailure.UNKNOWN_ISSUER, TlsFailure.classify(failure), failure.toString());
    TlsDetails shown = TlsDetails.of(null, null, recorder.presented());
    assertEquals("CN=localhost", shown.subject());
    assertTrue(shown.selfSigned());
    assertTrue(shown.names().contains("127.0.0.1"), shown.names().toString());
  }

  @Test
  void withTheCaTrustedTheHandshakePassesAndShowsTheCertificate() throws Exception {
    ChainRecorder recorder = trustingTestCert();
    NetSocket socket = Await.result(client.connect(tlsPort, "127.0.0.1"));
    Await.result(socket.upgradeToSsl(TlsProbe.recording(recorder), "localhost"));
    TlsDetails details = TlsDetails.of(socket.sslSession());
    assertTrue(details.protocol().startsWith("TLS"), details.protocol());
    assertEquals("CN=localhost", details.issuer());
    assertEquals(2126, details.notAfter().atZone(java.time.ZoneOffset.UTC).getYear());
  }

  @Test
  void theCertificateIsCheckedAgainstTheNameNotTheAddressItResolvedTo() throws Exception {
    // 127.0.0.1 is in the certificate, api.example.invalid is not: the name must decide.
    Throwable failure =
        Await.failure(handshake(tlsPort, "api.example.invalid", trustingTestCert()));
    assertEquals(TlsFailure.HOSTNAME_MISMATCH, TlsFailure.classify(failure), failure.toString());
    Await.result(handshake(tlsPort, "localhost", trustingTestCert()));
  }

  @Test
  void aPlainServerIsNotTls() throws Exception {
    Throwable failure = Await.failure(handshake(plainPort, "localhost", trustingTestCert()));
    assertEquals(TlsFailure.NOT_TLS, TlsFailure.classify(failure), failure.toString());
  }

  @Test
  void literalsNeedNoLookupAndInvalidNamesFailWithoutOne() {
    List<InetAddress> literal = Await.result(HostResolver.resolve(vertx, "127.0.0.1"));
    assertEquals("127.0.0.1", literal.get(0).getHostAddress());
    Throwable failure = Await.failure(HostResolver.resolve(vertx, "api.anthropic.invalid"));
    assertTrue(failure instanceof java.net.UnknownHostException, failure.toString());
    assertTrue(failure.getMessage().contains("RFC 6761"), failure.getMessage());
  }
}
