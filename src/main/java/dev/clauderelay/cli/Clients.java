package dev.clauderelay.cli;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import io.vertx.core.Vertx;

/** Builds the relay's {@link ClaudeClient} from the loaded configuration; every command uses it. */
public final class Clients {
  private Clients() {}

  public static ClaudeClientOptions options(RelayConfig config) {
    RegionConfig region = config.regions().get(0);
    return new ClaudeClientOptions()
        .setRegionName(region.name())
        .setBaseUrl(region.baseUrl())
        .setApiKey(region.apiKeys().isEmpty() ? null : region.apiKeys().get(0))
        .setMaxRetries(config.retry().maxRetries())
        .setInitialBackoffMs(config.retry().initialBackoffMs())
        .setMaxBackoffMs(config.retry().maxBackoffMs())
        .setMaxRetryAfterMs(config.retry().maxRetryAfterMs())
        .setDeadlineMs(config.retry().deadlineMs())
        .setConnectTimeoutMs(config.transport().connectTimeoutMs())
        .setResponseTimeoutMs(config.transport().responseTimeoutMs())
        .setIdleTimeoutMs(config.transport().idleTimeoutMs())
        .setMaxConnections(config.transport().maxConnections())
        .setMaxWaitQueue(config.transport().maxWaitQueue())
        .setStreamIdleTimeoutMs(config.stream().idleTimeoutMs());
  }

  public static ClaudeClient create(Vertx vertx, RelayConfig config) {
    return ClaudeClient.create(vertx, options(config));
  }
}
