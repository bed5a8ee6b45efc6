package dev.clauderelay.doctor;

import dev.clauderelay.api.Secrets;
import java.util.Locale;

/** Whether the region has a key, and whether it looks like one. Pure; shows fingerprints only. */
final class ApiKeyCheck {
  /** Anthropic keys are about 108 characters; much shorter ones are usually cut copies. */
  static final int MIN_PLAUSIBLE_LENGTH = 40;

  private ApiKeyCheck() {}

  /**
   * @param key the key doctor will use (the pool's first), or null when the region has none
   * @param origin where it came from, e.g. {@code apiKeys[0]}
   * @param poolSize keys and key files of the region
   * @param host the region's host, to tell api.anthropic.com from a gateway with its own keys
   */
  static CheckResult check(String key, String origin, int poolSize, String host) {
    if (key == null || key.isBlank()) {
      return CheckResult.fail(
          CheckId.API_KEY,
          "no API key",
          "the region has neither apiKeys nor apiKeyFiles, and ANTHROPIC_API_KEY (which fills"
              + " only the first region) is not set or empty",
          "export ANTHROPIC_API_KEY=<your key>, or set apiKeys / apiKeyFiles for this region");
    }
    String fp = Secrets.fingerprint(key);
    String where = fp + " (" + origin + (poolSize > 1 ? ", first of " + poolSize : "") + ")";
    CheckResult result = judge(key, where, host);
    return result.with("fingerprint", fp).with("origin", origin).with("poolSize", poolSize);
  }

  private static CheckResult judge(String key, String where, String host) {
    if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
        || key.indexOf('"') >= 0
        || key.indexOf('\'') >= 0) {
      return CheckResult.fail(
          CheckId.API_KEY,
          where + " contains spaces, quotes or line breaks",
          "a copy-paste artefact: the API refuses such a key with 401",
          "copy the key again without quotes or line breaks (in YAML: apiKeys: [\"sk-ant-…\"])");
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.contains("${")
        || lower.contains("your")
        || lower.contains("xxxx")
        || lower.contains("...")
        || lower.contains("…")
        || lower.contains("changeme")
        || lower.startsWith("<")) {
      return CheckResult.fail(
          CheckId.API_KEY,
          where + " looks like a placeholder, not a key",
          "the value is example text from a template or README",
          "put the real key in ANTHROPIC_API_KEY or the region's apiKeys");
    }
    if (lower.startsWith("sk-ant-admin")) {
      return CheckResult.fail(
          CheckId.API_KEY,
          where + " is an Admin API key",
          "Admin keys manage the organisation; they cannot call /v1/models or /v1/messages",
          "use a regular API key (sk-ant-api…) from console.anthropic.com, Settings, API keys");
    }
    if (key.startsWith("sk-ant-")) {
      if (key.length() < MIN_PLAUSIBLE_LENGTH) {
        return CheckResult.warn(
            CheckId.API_KEY,
            where + " is only " + key.length() + " characters",
            "Anthropic keys are about 100 characters: this one may have been cut when copied",
            "copy the whole key again if the HTTP check answers 401");
      }
      return CheckResult.pass(CheckId.API_KEY, where + ", Anthropic key format");
    }
    if (host != null && (host.equals("anthropic.com") || host.endsWith(".anthropic.com"))) {
      return CheckResult.warn(
          CheckId.API_KEY,
          where + " does not start with sk-ant-",
          "keys for " + host + " start with sk-ant-; this looks like another provider's key",
          "use a key from console.anthropic.com");
    }
    return CheckResult.pass(
        CheckId.API_KEY, where + ", not an sk-ant- key (fine for a gateway with its own keys)");
  }
}
