package dev.clauderelay.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, not just the first, so that one
 * run of the relay shows everything to fix. The message has one line per problem, each prefixed
 * with the source (the file name, or {@code built-in defaults}); no line holds a secret.
 */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(message(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Where the configuration came from, e.g. {@code conf/config.yaml}. */
  public String source() {
    return source;
  }

  /** Each problem without the source prefix, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String source, List<String> problems) {
    StringBuilder text = new StringBuilder();
    for (String problem : problems) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(source).append(": ").append(problem);
    }
    return text.toString();
  }
}
