package dev.clauderelay.region;

/**
 * Exponentially weighted moving average of latencies: {@code avg = alpha * sample + (1 - alpha) *
 * avg}, the first sample taken as is. Pure and not thread-safe ({@link Region} guards it).
 */
public final class Ewma {
  /** Weight of a new sample: about the last 5 samples dominate, so a change shows within a few. */
  public static final double DEFAULT_ALPHA = 0.3;

  private final double alpha;
  private double value = Double.NaN;
  private long samples;

  public Ewma(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("EWMA alpha must be in (0, 1], got " + alpha);
    }
    this.alpha = alpha;
  }

  /** Adds a sample; negative or non-finite samples are ignored. */
  public void add(double sample) {
    if (!(sample >= 0) || Double.isInfinite(sample)) {
      return;
    }
    value = samples == 0 ? sample : alpha * sample + (1 - alpha) * value;
    samples++;
  }

  /** The average, or NaN before the first sample. */
  public double value() {
    return value;
  }

  public long samples() {
    return samples;
  }

  public double alpha() {
    return alpha;
  }
}
