package dev.clauderelay.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A port where a TCP connect gets no answer at all, as behind a firewall that drops packets: a
 * listening socket that never accepts, with its accept queue filled. Linux then drops further SYNs
 * (it neither accepts nor refuses), so a new connect times out. On a system that answers
 * differently the test using this is skipped, not failed: see docs/doctor.md.
 */
final class FullBacklog implements AutoCloseable {
  private static final int FILL_ATTEMPTS = 32;
  private static final int FILL_TIMEOUT_MS = 250;

  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();

  FullBacklog() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    for (int i = 0; i < FILL_ATTEMPTS; i++) {
      Socket s = new Socket();
      try {
        s.connect(server.getLocalSocketAddress(), FILL_TIMEOUT_MS);
        fillers.add(s);
      } catch (SocketTimeoutException full) {
        s.close();
        return;
      }
    }
    close();
    Assumptions.abort("this system does not drop connects to a full accept queue");
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket s : fillers) {
      s.close();
    }
    server.close();
  }
}
