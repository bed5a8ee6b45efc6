package dev.clauderelay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clauderelay.api.Secrets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One mapping of the YAML tree, read key by key with types, ranges and defaults. The keys a record
 * asks for are, by that asking, the known keys: there is no separate schema to drift out of date.
 * Whatever else the mapping holds is reported by {@link #finish()}. A read never throws: a bad
 * value is reported to the {@link LoadContext} and the default is returned, so that one load finds
 * every problem.
 *
 * <p>For each key the value comes from, first to last: its {@code CLAUDE_RELAY_*} variable, the
 * file (with {@code ${VAR}} replaced), a {@linkplain #fallback fallback}, the default. A key set to
 * null (or left empty in YAML) takes its default.
 */
final class Section {
  private static final Pattern LIST_SEPARATOR = Pattern.compile(",");
  private static final int SHOWN_VALUE_LENGTH = 60;

  private final ObjectNode node;
  private final String path;
  private final LoadContext context;
  private final Set<String> known = new LinkedHashSet<>();
  private final Map<String, Value> fallbacks = new HashMap<>();

  Section(ObjectNode node, String path, LoadContext context) {
    this.node = node;
    this.path = path;
    this.context = context;
    context.register(this);
  }

  static Section empty(String path, LoadContext context) {
    return new Section(JsonNodeFactory.instance.objectNode(), path, context);
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  LoadContext context() {
    return context;
  }

  /** A value used when neither the environment nor the file sets the key. */
  void fallback(String key, String text, String variable) {
    fallbacks.put(key, new Value(TextNode.valueOf(text), " (from " + variable + ")"));
  }

  int intIn(String key, int defaultValue, Range range) {
    return (int) longIn(key, defaultValue, range);
  }

  long longIn(String key, long defaultValue, Range range) {
    String full = pathOf(key);
    Value value = value(key);
    if (value == null || value == Value.FAILED) {
      return defaultValue;
    }
    JsonNode n = value.node();
    String digits = n.isTextual() ? n.textValue().trim() : n.asText();
    Long number = null;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      number = n.longValue();
    } else if (n.isFloatingPointNumber()
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 1e18) {
      number = n.longValue();
    } else if (n.isTextual() && digits.matches("[-+]?\\d{1,18}")) {
      number = Long.parseLong(digits);
    }
    if (number == null) {
      if (n.isIntegralNumber() || digits.matches("[-+]?\\d+")) {
        context.problem(range.violation(full, digits) + value.origin());
      } else {
        typeProblem(full, "an integer", value, false);
      }
      return defaultValue;
    }
    if (!range.contains(number)) {
      context.problem(range.violation(full, Long.toString(number)) + value.origin());
      return defaultValue;
    }
    return number;
  }

  boolean bool(String key, boolean defaultValue) {
    Value value = value(key);
    if (value == null || value == Value.FAILED) {
      return defaultValue;
    }
    JsonNode n = value.node();
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    String text = n.isTextual() ? n.textValue().trim() : "";
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    typeProblem(pathOf(key), "true or false", value, false);
    return defaultValue;
  }

  /**
   * A string, trimmed. With a null default the key is optional and an empty value means null;
   * otherwise an empty value is an error.
   */
  String text(String key, String defaultValue) {
    return text(key, defaultValue, text -> null);
  }

  /**
   * A string that must also pass {@code check}, which returns a problem (said after the key, e.g.
   * {@code "must not end with /v1"}) or null. After a problem the default is returned.
   */
  String text(String key, String defaultValue, Function<String, String> check) {
    Value value = value(key);
    if (value == null || value == Value.FAILED) {
      return defaultValue;
    }
    String text = scalarText(pathOf(key), value, false);
    if (text == null) {
      return defaultValue;
    }
    if (text.isEmpty()) {
      if (defaultValue != null) {
        context.problem(pathOf(key) + " must not be empty" + value.origin());
      }
      return defaultValue;
    }
    return checked(key, text, value, check) ? text : defaultValue;
  }

  /** A string without a default: absent is an error. Null is returned after any problem. */
  String requiredText(String key, Function<String, String> check) {
    Value value = value(key);
    if (value == Value.FAILED) {
      return null;
    }
    if (value == null) {
      context.problem(pathOf(key) + " is required");
      return null;
    }
    String text = scalarText(pathOf(key), value, false);
    if (text != null && text.isEmpty()) {
      context.problem(pathOf(key) + " must not be empty" + value.origin());
      return null;
    }
    return text != null && checked(key, text, value, check) ? text : null;
  }

  /** An optional secret (null when absent or empty); never shown in a problem. */
  String secret(String key) {
    Value value = value(key);
    if (value == null || value == Value.FAILED) {
      return null;
    }
    String text = scalarText(pathOf(key), value, true);
    if (text == null || text.isEmpty()) {
      return null;
    }
    context.secret(text);
    return checkSecret(pathOf(key), text, value.origin()) ? text : null;
  }

  /**
   * A list of strings, trimmed, blanks dropped (so {@code ["${KEY:-}"]} with KEY unset is an empty
   * list), duplicates dropped. A single string stands for a comma-separated list, which is how the
   * environment writes lists.
   */
  List<String> texts(String key, boolean secret) {
    return texts(pathOf(key), value(key), secret);
  }

  /**
   * {@link #texts} read from one environment variable rather than the key's own sources: the {@code
   * ANTHROPIC_API_KEY} fallback of the default region.
   */
  List<String> textsFromVariable(String key, String variable, boolean secret) {
    String text = context.env(variable);
    if (text == null) {
      return List.of();
    }
    return texts(
        pathOf(key), new Value(TextNode.valueOf(text), " (from " + variable + ")"), secret);
  }

  private List<String> texts(String full, Value value, boolean secret) {
    if (value == null || value == Value.FAILED) {
      return List.of();
    }
    JsonNode n = value.node();
    List<String> raw = new ArrayList<>();
    List<String> origins = new ArrayList<>();
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        String itemPath = full + "[" + i + "]";
        JsonNode item = n.get(i);
        Value itemValue =
            item.isTextual() ? context.substitute(itemPath, item.textValue()) : new Value(item, "");
        if (itemValue == Value.FAILED || item.isNull()) {
          continue;
        }
        String text = scalarText(itemPath, itemValue, secret);
        if (text != null) {
          raw.add(text);
          origins.add(itemValue.origin());
        }
      }
    } else if (n.isValueNode()) {
      for (String part : LIST_SEPARATOR.split(n.asText(), -1)) {
        raw.add(part.trim());
        origins.add(value.origin());
      }
    } else {
      typeProblem(full, "a list of strings", value, secret);
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String text = raw.get(i);
      if (text.isEmpty()) {
        continue;
      }
      if (secret) {
        context.secret(text);
        if (!checkSecret(full, text, origins.get(i))) {
          continue;
        }
      }
      out.add(text);
    }
    return List.copyOf(out);
  }

  /** A file system path; with a null default the key is optional. */
  Path path(String key, Path defaultValue) {
    String text = text(key, defaultValue == null ? null : defaultValue.toString());
    if (text == null) {
      return null;
    }
    return toPath(pathOf(key), text, defaultValue);
  }

  List<Path> paths(String key) {
    List<Path> out = new ArrayList<>();
    for (String text : texts(key, false)) {
      Path p = toPath(pathOf(key), text, null);
      if (p != null) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /** A nested mapping; absent or null reads as empty, so all its keys take their defaults. */
  Section section(String key) {
    known.add(key);
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return empty(pathOf(key), context);
    }
    if (!n.isObject()) {
      typeProblem(pathOf(key), "a mapping of keys", new Value(n, ""), false);
      return empty(pathOf(key), context);
    }
    return new Section((ObjectNode) n, pathOf(key), context);
  }

  /**
   * A nested mapping that may be absent (null then), or created by the environment alone: {@code
   * CLAUDE_RELAY_DEGRADE_LOCAL_MODEL_BASE_URL} makes a {@code degrade.localModel}.
   */
  Section optionalSection(String key) {
    known.add(key);
    JsonNode n = node.get(key);
    if ((n == null || n.isNull()) && context.hasOverrideUnder(pathOf(key))) {
      return empty(pathOf(key), context);
    }
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      // Reported once here; an empty section would add "baseUrl is required" and the like.
      typeProblem(pathOf(key), "a mapping of keys", new Value(n, ""), false);
      return null;
    }
    return new Section((ObjectNode) n, pathOf(key), context);
  }

  /** A list of mappings, or null when the key is absent (the caller decides what that means). */
  List<Section> sections(String key) {
    known.add(key);
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      typeProblem(pathOf(key), "a list of mappings", new Value(n, ""), false);
      return List.of();
    }
    List<Section> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String itemPath = pathOf(key) + "[" + i + "]";
      JsonNode item = n.get(i);
      if (item.isObject()) {
        out.add(new Section((ObjectNode) item, itemPath, context));
      } else {
        typeProblem(itemPath, "a mapping of keys", new Value(item, ""), false);
      }
    }
    return out;
  }

  /** Reports the keys of this mapping that no reader asked for. */
  void finish() {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (known.contains(field.getKey())) {
        continue;
      }
      String name = shorten(field.getKey());
      StringBuilder text = new StringBuilder("unknown key ").append(pathOf(name));
      String suggestion = Suggestions.closest(field.getKey(), known);
      if (suggestion != null) {
        text.append(" (did you mean ").append(suggestion).append("?)");
      }
      text.append("; known keys ")
          .append(path.isEmpty() ? "at the top level" : "in " + path)
          .append(": ")
          .append(String.join(", ", known));
      context.problem(text.toString());
    }
  }

  private boolean checked(String key, String text, Value value, Function<String, String> check) {
    String problem = check.apply(text);
    if (problem != null) {
      context.problem(pathOf(key) + " " + problem + value.origin());
    }
    return problem == null;
  }

  private Value value(String key) {
    known.add(key);
    String full = pathOf(key);
    Value fromEnv = context.override(full);
    if (fromEnv != null) {
      return fromEnv;
    }
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return fallbacks.get(key);
    }
    return n.isTextual() ? context.substitute(full, n.textValue()) : new Value(n, "");
  }

  /** The trimmed text of a scalar, or null after reporting a list or mapping in its place. */
  private String scalarText(String full, Value value, boolean secret) {
    if (!value.node().isValueNode()) {
      typeProblem(full, "a string", value, secret);
      return null;
    }
    return value.node().asText().trim();
  }

  /** Whitespace inside a key would break the HTTP header it goes into. */
  private boolean checkSecret(String full, String text, String origin) {
    if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      context.problem(
          full
              + " holds a value with spaces or control characters ("
              + Secrets.fingerprint(text)
              + ")"
              + origin);
      return false;
    }
    return true;
  }

  private Path toPath(String full, String text, Path defaultValue) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      context.problem(full + " is not a valid path: " + e.getReason());
      return defaultValue;
    }
  }

  private void typeProblem(String full, String expected, Value value, boolean secret) {
    context.problem(
        full + " must be " + expected + ", got " + describe(value.node(), secret) + value.origin());
  }

  private static String describe(JsonNode n, boolean secret) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (secret) {
      return Secrets.fingerprint(n.asText());
    }
    if (n.isTextual()) {
      return TextNode.valueOf(shorten(n.textValue())).toString();
    }
    return n.asText();
  }

  private static String shorten(String text) {
    return text.length() <= SHOWN_VALUE_LENGTH ? text : text.substring(0, SHOWN_VALUE_LENGTH) + "…";
  }
}
