package dev.clauderelay.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * TLS to the upstreams. Verification is always on; there is deliberately no key to turn it off.
 *
 * @param caFile PEM file of extra trusted CAs (a corporate TLS-inspecting proxy, a private
 *     gateway), added to the JVM's own; null for none
 */
public record TlsConfig(Path caFile) {
  public static TlsConfig defaults() {
    return new TlsConfig(null);
  }

  static TlsConfig read(Section s) {
    return new TlsConfig(s.path("caFile", null));
  }

  public JsonObject toSafeJson() {
    return new JsonObject().put("caFile", caFile == null ? null : caFile.toString());
  }

  @Override
  public String toString() {
    return "TlsConfig" + toSafeJson().encode();
  }
}
