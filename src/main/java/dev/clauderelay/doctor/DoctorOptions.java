package dev.clauderelay.doctor;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Doctor} runs.
 *
 * @param env the environment ({@code HTTPS_PROXY}, {@code NO_PROXY}, …); a parameter so that tests
 *     and embedders decide what it holds
 * @param clock for clock skew and rate-limit reset times
 * @param timeoutMs limit of each network layer (DNS, TCP, TLS, HTTP), milliseconds
 */
public record DoctorOptions(Map<String, String> env, Clock clock, long timeoutMs) {
  /** Milliseconds per layer: long enough for a slow link, short enough to wait for at a prompt. */
  public static final long DEFAULT_TIMEOUT_MS = 5_000;

  public DoctorOptions {
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(clock, "clock");
    if (timeoutMs < 1 || timeoutMs > 600_000) {
      throw new IllegalArgumentException("timeoutMs must be 1..600000, got " + timeoutMs);
    }
  }
}
