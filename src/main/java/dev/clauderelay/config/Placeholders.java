package dev.clauderelay.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in string values, replaced from the environment. The
 * replaced text is not scanned again, so a value can never inject another reference. {@code $${}
 * writes a literal {@code ${}.
 */
final class Placeholders {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The outcome of one expansion.
   *
   * @param text the expanded text (meaningless when {@link #ok()} is false)
   * @param names the variables referenced, in order
   * @param unset referenced variables that are not set and have no default
   * @param malformed what is wrong with the syntax, or null
   */
  record Expansion(String text, List<String> names, List<String> unset, String malformed) {
    boolean ok() {
      return unset.isEmpty() && malformed == null;
    }

    boolean substituted() {
      return !names.isEmpty();
    }
  }

  private Placeholders() {}

  static Expansion expand(String raw, Map<String, String> env) {
    StringBuilder out = new StringBuilder(raw.length());
    List<String> names = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (!raw.startsWith("${", i)) {
        out.append(raw.charAt(i++));
        continue;
      }
      int close = raw.indexOf('}', i + 2);
      if (close < 0) {
        return new Expansion(raw, names, unset, "has '${' without a closing '}'");
      }
      String body = raw.substring(i + 2, close);
      int split = body.indexOf(":-");
      String name = split < 0 ? body : body.substring(0, split);
      String fallback = split < 0 ? null : body.substring(split + 2);
      if (!NAME.matcher(name).matches()) {
        return new Expansion(
            raw,
            names,
            unset,
            "has '${" + name + "}', which is not a variable name (letters, digits, _)");
      }
      names.add(name);
      String value = env.get(name);
      if (fallback != null && (value == null || value.isEmpty())) {
        // Shell semantics of ":-": an empty variable counts as unset.
        value = fallback;
      }
      if (value == null) {
        unset.add(name);
        value = "";
      }
      out.append(value);
      i = close + 1;
    }
    return new Expansion(out.toString(), names, unset, null);
  }
}
