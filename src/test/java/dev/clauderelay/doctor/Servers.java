package dev.clauderelay.doctor;

import dev.clauderelay.health.TestCert;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Small local servers that reproduce network situations, 127.0.0.1 only. */
final class Servers {
  private Servers() {}

  /** Accepts connections and never sends a byte: "the port answers nothing". */
  static int silent(Vertx vertx) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    server.connectHandler(socket -> socket.handler(ignored -> {}));
    return Await.result(server.listen(0)).actualPort();
  }

  /** A port nothing listens on (bound, then released). */
  static int closed(Vertx vertx) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    server.connectHandler(NetSocket::close);
    int port = Await.result(server.listen(0)).actualPort();
    Await.result(server.close());
    return port;
  }

  /**
   * TLS in front of a plain server: terminates TLS with the fixed self-signed certificate for
   * localhost / 127.0.0.1 and pipes the bytes to {@code backendPort}.
   */
  static int tlsFront(Vertx vertx, int backendPort) {
    NetClient client = vertx.createNetClient();
    NetServer server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setSsl(true)
                .setKeyCertOptions(TestCert.keyCert()));
    server.connectHandler(
        front -> {
          front.pause();
          client
              .connect(backendPort, "127.0.0.1")
              .onSuccess(back -> pipe(front, back, Buffer.buffer()))
              .onFailure(e -> front.close());
        });
    return Await.result(server.listen(0)).actualPort();
  }

  private static void pipe(NetSocket a, NetSocket b, Buffer firstBytes) {
    if (firstBytes.length() > 0) {
      b.write(firstBytes);
    }
    a.pipeTo(b);
    b.pipeTo(a);
  }

  /**
   * An HTTP CONNECT proxy: parses {@code CONNECT host:port}, answers 200 and pipes bytes both ways
   * (or answers {@code refuseWith} and closes). Counts the tunnels asked for.
   */
  static final class ConnectProxy {
    final AtomicInteger tunnels = new AtomicInteger();
    final List<String> targets = new CopyOnWriteArrayList<>();
    final int port;

    ConnectProxy(Vertx vertx, Integer refuseWith) {
      NetClient client = vertx.createNetClient();
      NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
      server.connectHandler(socket -> new Handshake(client, socket, refuseWith));
      port = Await.result(server.listen(0)).actualPort();
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    /** One client connection until its CONNECT request is read. */
    private final class Handshake {
      private final NetClient client;
      private final NetSocket socket;
      private final Integer refuseWith;
      private Buffer head = Buffer.buffer();

      Handshake(NetClient client, NetSocket socket, Integer refuseWith) {
        this.client = client;
        this.socket = socket;
        this.refuseWith = refuseWith;
        socket.handler(this::read);
      }

      private void read(Buffer chunk) {
        head.appendBuffer(chunk);
        String text = head.toString();
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        socket.pause();
        socket.handler(null);
        String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
        Buffer rest = head.getBuffer(end + 4, head.length());
        if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
          socket.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n").onComplete(v -> socket.close());
          return;
        }
        tunnels.incrementAndGet();
        targets.add(requestLine[1]);
        if (refuseWith != null) {
          socket
              .write("HTTP/1.1 " + refuseWith + " Refused\r\nContent-Length: 0\r\n\r\n")
              .onComplete(v -> socket.close());
          return;
        }
        String target = requestLine[1];
        int colon = target.lastIndexOf(':');
        client
            .connect(Integer.parseInt(target.substring(colon + 1)), target.substring(0, colon))
            .onSuccess(
                upstream ->
                    socket
                        .write("HTTP/1.1 200 Connection established\r\n\r\n")
                        .onComplete(v -> pipe(socket, upstream, rest)))
            .onFailure(
                e ->
                    socket
                        .write("HTTP/1.1 502 Bad Gateway\r\n\r\n")
                        .onComplete(v -> socket.close()));
      }
    }
  }
}
