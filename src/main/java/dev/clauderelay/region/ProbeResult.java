package dev.clauderelay.region;

import io.vertx.core.json.JsonObject;

/**
 * What one health probe of a region found, layer by layer, for {@code /status} and the logs. Times
 * are milliseconds, -1 when the layer was not reached or does not apply (no DNS for an IP address,
 * no TLS for http).
 *
 * @param atMs epoch ms when the probe started
 * @param state the verdict
 * @param failedLayer the layer that failed, or null when the HTTP request got an answer
 * @param dnsMs name resolution
 * @param tcpMs TCP connect
 * @param tlsMs TLS handshake
 * @param httpMs {@code GET /v1/models}, sending to complete answer
 * @param totalMs the whole probe
 * @param status HTTP status, 0 when none arrived
 * @param error what went wrong, null when nothing did; never contains a key
 * @param requestId the upstream's {@code request-id}, when it answered
 * @param keyFingerprint the key used, as a fingerprint; null when none
 */
public record ProbeResult(
    long atMs,
    RegionState state,
    Layer failedLayer,
    long dnsMs,
    long tcpMs,
    long tlsMs,
    long httpMs,
    long totalMs,
    int status,
    String error,
    String requestId,
    String keyFingerprint) {

  /** The layers a probe goes through, in order. */
  public enum Layer {
    DNS,
    TCP,
    TLS,
    HTTP
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("at", atMs).put("state", state.name());
    if (failedLayer != null) {
      json.put("failedLayer", failedLayer.name());
    }
    putIfMeasured(json, "dnsMs", dnsMs);
    putIfMeasured(json, "tcpMs", tcpMs);
    putIfMeasured(json, "tlsMs", tlsMs);
    putIfMeasured(json, "httpMs", httpMs);
    putIfMeasured(json, "totalMs", totalMs);
    if (status > 0) {
      json.put("status", status);
    }
    if (error != null) {
      json.put("error", error);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    if (keyFingerprint != null) {
      json.put("key", keyFingerprint);
    }
    return json;
  }

  private static void putIfMeasured(JsonObject json, String name, long ms) {
    if (ms >= 0) {
      json.put(name, ms);
    }
  }
}
