package dev.clauderelay.api;

/** Turns a secret into something safe to print. */
public final class Secrets {
  private Secrets() {}

  /**
   * A fingerprint such as {@code sk-ant-…a1b2}: the well-known prefix (if any) and the last four
   * characters, never enough to use the key.
   */
  public static String fingerprint(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "(none)";
    }
    String prefix = secret.startsWith("sk-ant-") ? "sk-ant-" : "";
    if (secret.length() < 12) {
      return prefix + "…(" + secret.length() + " chars)";
    }
    return prefix + "…" + secret.substring(secret.length() - 4);
  }
}
