package dev.clauderelay.engine;

import dev.clauderelay.region.ApiKey;
import dev.clauderelay.region.Region;
import dev.clauderelay.transport.RegionTransport;

/** Where one attempt goes: a region, its transport and the key chosen from its pool. */
public record Target(Region region, RegionTransport transport, ApiKey key) {
  public String apiKey() {
    return key.secret();
  }

  public String name() {
    return region.name();
  }
}
