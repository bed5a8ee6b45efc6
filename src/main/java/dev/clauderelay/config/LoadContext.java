package dev.clauderelay.config;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.clauderelay.api.Secrets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * State of one load: the environment, the problems found so far, which {@code CLAUDE_RELAY_*}
 * variables were used, and the secrets seen (so that no problem line can show one).
 */
final class LoadContext {
  /** Prefix of the variables that override keys: {@code CLAUDE_RELAY_RETRY_MAX_RETRIES}. */
  static final String PREFIX = "CLAUDE_RELAY_";

  /** Short names kept from DESIGN.md's contract, read as well as the long form. */
  private static final Map<String, String> ALIASES = Map.of("gateway.port", "CLAUDE_RELAY_PORT");

  /**
   * Variables with the prefix that are not config keys but are read elsewhere in the relay. Any
   * other unused {@code CLAUDE_RELAY_*} variable is a startup error, because it is almost always a
   * typo that would otherwise be silently ignored. Add a name here when a package reads its own:
   * {@code logback.xml} reads the log level and format.
   */
  static final Set<String> NOT_KEYS = Set.of("CLAUDE_RELAY_LOG_LEVEL", "CLAUDE_RELAY_LOG_FORMAT");

  private static final Pattern REGION_VARIABLE =
      Pattern.compile("CLAUDE_RELAY_REGIONS_(\\d{1,6})_.*");

  /** Keys like sk-ant-api03-…, whatever path they took into a message. */
  private static final Pattern ANTHROPIC_KEY = Pattern.compile("sk-ant-[A-Za-z0-9_-]{6,}");

  /** Shorter secrets are not searched for: replacing them would garble ordinary words. */
  private static final int MIN_REDACTED_LENGTH = 6;

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> consumed = new HashSet<>();
  private final Set<String> knownVariables = new TreeSet<>();
  private final Set<String> secrets = new HashSet<>();
  private final List<Section> sections = new ArrayList<>();
  private int regionCount;

  LoadContext(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A variable's value, or null when unset. */
  String env(String name) {
    return env.get(name);
  }

  void problem(String text) {
    problems.add(text);
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  int problemCount() {
    return problems.size();
  }

  /** Every problem, with any secret that slipped into one replaced by its fingerprint. */
  List<String> problems() {
    return problems.stream().map(this::redact).toList();
  }

  void secret(String value) {
    if (value != null && value.length() >= MIN_REDACTED_LENGTH) {
      secrets.add(value);
    }
  }

  /** How many regions were read, for the message about a variable naming a region beyond them. */
  void regionCount(int count) {
    regionCount = count;
  }

  void register(Section section) {
    sections.add(section);
  }

  /** {@code regions[0].baseUrl} → {@code CLAUDE_RELAY_REGIONS_0_BASE_URL}. */
  static String variableName(String path) {
    StringBuilder name = new StringBuilder(PREFIX);
    for (char c : path.toCharArray()) {
      if (Character.isUpperCase(c)) {
        name.append('_').append(c);
      } else if (c == '.' || c == '[') {
        name.append('_');
      } else if (c != ']') {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
  }

  /** The environment's value for a key, or null when no variable sets it. */
  Value override(String path) {
    List<String> names = new ArrayList<>(List.of(variableName(path)));
    knownVariables.add(names.get(0));
    if (ALIASES.containsKey(path)) {
      names.add(ALIASES.get(path));
    }
    String chosenName = null;
    String chosen = null;
    for (String name : names) {
      String value = env.get(name);
      if (value == null) {
        continue;
      }
      consumed.add(name);
      if (chosen == null) {
        chosenName = name;
        chosen = value;
      } else if (!chosen.equals(value)) {
        problem(chosenName + " and " + name + " both set " + path + ", differently; set only one");
      }
    }
    return chosen == null
        ? null
        : new Value(TextNode.valueOf(chosen), " (from " + chosenName + ")");
  }

  /** Whether a variable overrides some key under {@code path}, e.g. of an absent section. */
  boolean hasOverrideUnder(String path) {
    String prefix = variableName(path) + "_";
    return env.keySet().stream().anyMatch(name -> name.startsWith(prefix));
  }

  /** The text with {@code ${VAR}} replaced, or {@link Value#FAILED} after reporting why not. */
  Value substitute(String path, String raw) {
    Placeholders.Expansion expansion = Placeholders.expand(raw, env);
    if (expansion.malformed() != null) {
      problem(path + " " + expansion.malformed());
      return Value.FAILED;
    }
    for (String name : expansion.unset()) {
      problem(
          path
              + " uses ${"
              + name
              + "}, which is not set; set it, or give a default as ${"
              + name
              + ":-default}");
    }
    if (!expansion.ok()) {
      return Value.FAILED;
    }
    String origin =
        expansion.substituted()
            ? " (from "
                + String.join(", ", expansion.names().stream().map(n -> "${" + n + "}").toList())
                + ")"
            : "";
    return new Value(TextNode.valueOf(expansion.text()), origin);
  }

  /** Reports unknown keys in every section read, then unused {@code CLAUDE_RELAY_*} variables. */
  void finish() {
    sections.forEach(Section::finish);
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith(PREFIX) || consumed.contains(name) || NOT_KEYS.contains(name)) {
        continue;
      }
      StringBuilder text =
          new StringBuilder("environment variable ")
              .append(name)
              .append(" matches no configuration key");
      Matcher region = REGION_VARIABLE.matcher(name);
      String suggestion = Suggestions.closest(name, knownVariables);
      if (region.matches() && Integer.parseInt(region.group(1)) >= regionCount) {
        text.append("; there ")
            .append(regionCount == 1 ? "is 1 region" : "are " + regionCount + " regions")
            .append(", and the environment can override a configured region's keys, not add one");
      } else if (suggestion != null) {
        text.append("; did you mean ").append(suggestion).append('?');
      }
      problem(text.toString());
    }
  }

  private String redact(String line) {
    String out = line;
    List<String> longestFirst = new ArrayList<>(secrets);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : longestFirst) {
      out = out.replace(secret, Secrets.fingerprint(secret));
    }
    return ANTHROPIC_KEY
        .matcher(out)
        .replaceAll(m -> Matcher.quoteReplacement(Secrets.fingerprint(m.group())));
  }
}
