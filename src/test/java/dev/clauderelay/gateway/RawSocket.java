package dev.clauderelay.gateway;

import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A plain TCP client for what an HTTP client library would not send (smuggling shapes, half a
 * request) or not do (stop reading): it records every byte and when the server closed.
 */
final class RawSocket implements AutoCloseable {
  private final NetClient client;
  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private final CompletableFuture<Long> closedAt = new CompletableFuture<>();

  private RawSocket(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(
        b -> {
          synchronized (received) {
            received.appendBuffer(b);
          }
        });
    socket.closeHandler(v -> closedAt.complete(System.nanoTime()));
  }

  static RawSocket connect(Vertx vertx, int port) {
    return connect(vertx, port, new NetClientOptions());
  }

  static RawSocket connect(Vertx vertx, int port, NetClientOptions options) {
    NetClient client = vertx.createNetClient(options);
    return new RawSocket(client, Await.result(client.connect(port, "127.0.0.1")));
  }

  RawSocket send(String text) {
    Await.result(socket.write(Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1))));
    return this;
  }

  /** Stops reading: the kernel's buffers fill and the server's writes back up. */
  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  int receivedBytes() {
    synchronized (received) {
      return received.length();
    }
  }

  /** Waits until at least {@code bytes} bytes were received in all. */
  void awaitBytes(long bytes, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (receivedBytes() < bytes) {
      if (System.nanoTime() > deadline || isClosed()) {
        throw new AssertionError(
            "received " + receivedBytes() + " of " + bytes + " bytes within " + timeoutMs + " ms");
      }
      try {
        closedAt.get(5, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillOpen) {
        // poll again
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Waits for the server to close; returns {@link System#nanoTime()} of the close. */
  long awaitClosed(long timeoutMs) {
    try {
      return closedAt.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the server did not close the connection within "
              + timeoutMs
              + " ms; received: "
              + received());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  boolean isClosed() {
    return closedAt.isDone();
  }

  /** Waits until the received text contains {@code text}. */
  String awaitReceived(String text, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!received().contains(text)) {
      if (System.nanoTime() > deadline || (isClosed() && !received().contains(text))) {
        throw new AssertionError(
            "did not receive '" + text + "' within " + timeoutMs + " ms; got: " + received());
      }
      try {
        closedAt.get(5, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillOpen) {
        // poll again
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return received();
  }

  @Override
  public void close() {
    Await.result(socket.close());
    Await.result(client.close());
  }
}
