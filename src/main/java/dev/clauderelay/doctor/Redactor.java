package dev.clauderelay.doctor;

import dev.clauderelay.api.Secrets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for "no key in doctor's output": replaces every known secret, and
 * anything shaped like an Anthropic key, with its fingerprint. Checks already show fingerprints
 * only; this catches what an upstream or a proxy echoes back (an error body quoting the key).
 */
final class Redactor {
  /** Keys like sk-ant-api03-…, whatever path they took into a text. */
  private static final Pattern ANTHROPIC_KEY = Pattern.compile("sk-ant-[A-Za-z0-9_-]{6,}");

  /** Shorter secrets are not searched for: replacing them would garble ordinary words. */
  static final int MIN_LENGTH = 6;

  private final List<String> secrets = new ArrayList<>();

  Redactor(Collection<String> secrets) {
    secrets.forEach(this::add);
  }

  /** Adds a secret found later (a key read from a file). */
  synchronized void add(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH && !secrets.contains(secret)) {
      secrets.add(secret);
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  synchronized String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, Secrets.fingerprint(secret));
    }
    return ANTHROPIC_KEY
        .matcher(out)
        .replaceAll(m -> Matcher.quoteReplacement(Secrets.fingerprint(m.group())));
  }
}
