package dev.clauderelay.doctor;

import java.util.regex.Pattern;

/** The {@code anthropic-version} the relay sends when a caller sends none. Pure. */
final class VersionCheck {
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private VersionCheck() {}

  static CheckResult check(String version) {
    if (version == null || !DATE.matcher(version).matches()) {
      return CheckResult.fail(
          CheckId.ANTHROPIC_VERSION,
          "\"" + version + "\" is not an API version",
          "the API refuses requests without a valid anthropic-version header (400)",
          "use 2023-06-01");
    }
    return CheckResult.pass(
            CheckId.ANTHROPIC_VERSION,
            version + " (sent when the caller sends none; a caller's own value is forwarded)")
        .with("version", version);
  }
}
