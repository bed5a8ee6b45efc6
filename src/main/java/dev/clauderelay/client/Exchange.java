package dev.clauderelay.client;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * An upstream answer as it came, for adapters that forward it (the gateway): status, headers
 * (lower-case names), body, and which region answered after how many attempts.
 */
public record Exchange(
    int status, Map<String, String> headers, Buffer body, String region, int attempts) {}
