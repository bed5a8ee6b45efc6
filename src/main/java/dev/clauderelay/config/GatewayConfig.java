package dev.clauderelay.config;

import dev.clauderelay.api.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The HTTP gateway: where it listens and which clients it serves.
 *
 * @param host interface to bind, a name or IP address without scheme or port; the default serves
 *     this machine only
 * @param port TCP port; 0 picks a free one (tests)
 * @param tokens client tokens accepted in {@code x-api-key} or {@code Authorization: Bearer}; empty
 *     means no client authentication. Secrets: shown only as fingerprints.
 * @param maxBodyBytes largest request body accepted, bytes
 */
public record GatewayConfig(String host, int port, List<String> tokens, long maxBodyBytes) {
  /** Loopback: exposing the gateway to a network is a decision, not a default. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;

  /** 32 MiB, bytes: the Anthropic API's own request limit. */
  public static final long DEFAULT_MAX_BODY_BYTES = 33_554_432L;

  static final Range PORT = Range.of(0, 65_535);

  /** Below 1 KiB not even a small request fits; above 2 GiB a body cannot be buffered. */
  static final Range MAX_BODY_BYTES = Range.of(1024, Integer.MAX_VALUE);

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");

  public GatewayConfig {
    Objects.requireNonNull(host, "host");
    String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException("gateway.host " + problem);
    }
    PORT.checkInt("gateway.port", port);
    tokens = List.copyOf(tokens);
    MAX_BODY_BYTES.check("gateway.maxBodyBytes", maxBodyBytes);
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, List.of(), DEFAULT_MAX_BODY_BYTES);
  }

  static GatewayConfig read(Section s) {
    return new GatewayConfig(
        s.text("host", DEFAULT_HOST, GatewayConfig::hostProblem),
        s.intIn("port", DEFAULT_PORT, PORT),
        s.texts("tokens", true),
        s.longIn("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES));
  }

  private static String hostProblem(String host) {
    return HOST.matcher(host).matches() && !host.contains("://")
        ? null
        : "must be a host name or IP address (no scheme, no port), got \"" + host + "\"";
  }

  /** Tokens as fingerprints: for /status and logs. */
  public JsonObject toSafeJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("tokens", new JsonArray(tokens.stream().map(Secrets::fingerprint).toList()))
        .put("maxBodyBytes", maxBodyBytes);
  }

  @Override
  public String toString() {
    return "GatewayConfig" + toSafeJson().encode();
  }
}
