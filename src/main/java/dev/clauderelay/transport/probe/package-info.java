/**
 * The layers of a connection, checked one at a time: name resolution, TCP connect, TLS handshake,
 * and what their failures mean. Shared by the health probes (timed, in the background) and {@code
 * doctor} (detailed, on demand), so that both judge a failure the same way.
 */
package dev.clauderelay.transport.probe;
