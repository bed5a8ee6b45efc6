package dev.clauderelay.cli;

import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.RegionOptions;
import dev.clauderelay.config.LocalModelConfig;
import dev.clauderelay.config.RegionConfig;
import dev.clauderelay.config.RelayConfig;
import io.vertx.core.Vertx;

/** Builds the relay's {@link ClaudeClient} from the loaded configuration; every command uses it. */
public final class Clients {
  private Clients() {}

  public static ClaudeClientOptions options(RelayConfig config) {
    ClaudeClientOptions options =
        new ClaudeClientOptions()
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
            .setStreamIdleTimeoutMs(config.stream().idleTimeoutMs())
            .setStreamResume(config.stream().resume())
            .setProxy(config.proxy())
            .setCaFile(config.tls().caFile() == null ? null : config.tls().caFile().toString())
            .setBreakerMaxFailures(config.breaker().maxFailures())
            .setBreakerWindowMs(config.breaker().windowMs())
            .setBreakerResetTimeoutMs(config.breaker().resetTimeoutMs())
            .setRequestsPerMinute(config.rateLimit().requestsPerMinute())
            .setAdaptivePacing(config.rateLimit().adaptive())
            .setMaxQueued(config.rateLimit().maxQueued())
            .setCacheEnabled(config.cache().enabled())
            .setCacheTtlMs(config.cache().ttlMs())
            .setCacheMaxEntries(config.cache().maxEntries())
            .setPendingDir(
                config.degrade().maxPendingTasks() == 0
                    ? null
                    : config.degrade().pendingDir().toString())
            .setMaxPendingTasks(config.degrade().maxPendingTasks());
    LocalModelConfig local = config.degrade().localModel();
    if (local != null) {
      options
          .setLocalModelBaseUrl(local.baseUrl())
          .setLocalModelName(local.model())
          .setLocalModelApiKey(local.apiKey());
    }
    for (RegionConfig region : config.regions()) {
      RegionOptions r = new RegionOptions(region.name(), region.baseUrl());
      region.apiKeys().forEach(r::addApiKey);
      region.apiKeyFiles().forEach(r::addApiKeyFile);
      options.addRegion(r);
    }
    return options;
  }

  public static ClaudeClient create(Vertx vertx, RelayConfig config) {
    return ClaudeClient.create(vertx, options(config));
  }
}
