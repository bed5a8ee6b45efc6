package dev.clauderelay.engine;

import dev.clauderelay.transport.RegionTransport;

/** Where an attempt goes: a region's name, its transport and the key to use. */
public record Target(String region, RegionTransport transport, String apiKey) {}
