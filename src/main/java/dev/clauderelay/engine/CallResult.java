package dev.clauderelay.engine;

import dev.clauderelay.api.UpstreamResponse;

/** A successful call: the upstream's answer, which region gave it, after how many attempts. */
public record CallResult(UpstreamResponse response, String region, int attempts) {}
