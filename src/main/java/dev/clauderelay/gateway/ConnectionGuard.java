package dev.clauderelay.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.Map;

/**
 * Time limits on a connection while no request of it is being served: a new connection must deliver
 * its first request's headers within {@code headerTimeoutMs} (slow-header clients), and a
 * kept-alive connection is closed after {@code idleTimeoutMs} without a request. While a request is
 * served there is no limit here: a non-streamed generation may take minutes without a byte on the
 * client's connection, and the call's own deadline bounds it.
 *
 * <p>Confined to the server's event loop.
 */
final class ConnectionGuard {
  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final long idleTimeoutMs;
  private final Map<HttpConnection, State> states = new HashMap<>();

  private static final class State {
    long timer = -1;
    int inFlight;
  }

  ConnectionGuard(Vertx vertx, long headerTimeoutMs, long idleTimeoutMs) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  void onConnect(HttpConnection conn) {
    State state = new State();
    states.put(conn, state);
    arm(conn, state, headerTimeoutMs);
    conn.closeHandler(
        v -> {
          State gone = states.remove(conn);
          if (gone != null) {
            cancel(gone);
          }
        });
  }

  /** A request's headers arrived. */
  void onRequest(HttpConnection conn) {
    State state = states.get(conn);
    if (state != null) {
      cancel(state);
      state.inFlight++;
    }
  }

  /** A request's response ended (or its connection closed). */
  void onResponseDone(HttpConnection conn) {
    State state = states.get(conn);
    if (state != null && --state.inFlight <= 0) {
      state.inFlight = 0;
      arm(conn, state, idleTimeoutMs);
    }
  }

  private void arm(HttpConnection conn, State state, long ms) {
    cancel(state);
    state.timer =
        vertx.setTimer(
            ms,
            t -> {
              state.timer = -1;
              if (state.inFlight == 0) {
                conn.close();
              }
            });
  }

  private void cancel(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
