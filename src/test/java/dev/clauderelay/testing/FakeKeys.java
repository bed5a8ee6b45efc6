package dev.clauderelay.testing;

/**
 * Anthropic-shaped keys in tests are fakes that say so ({@code FAKE} in each) and are written as
 * {@code FakeKeys.SK_ANT + "api03-FAKE-…"}: the source then holds no literal that a secret scanner
 * (which looks for {@code sk-ant-} followed by a long run of key characters) would take for a
 * leaked key, while the tests still get a well-formed key to redact, fingerprint and refuse to
 * print.
 */
public final class FakeKeys {
  /** The prefix of Anthropic API keys; a compile-time constant, so usable in annotations. */
  public static final String SK_ANT = "sk-ant-";

  private FakeKeys() {}
}
