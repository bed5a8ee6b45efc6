package dev.clauderelay.gateway;

import java.util.concurrent.ThreadLocalRandom;

/** The relay's own request ids ({@code req_relay_…}), for answers no upstream gave an id to. */
final class RequestIds {
  static final String PREFIX = "req_relay_";
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int LENGTH = 24;

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[PREFIX.length() + LENGTH];
    PREFIX.getChars(0, PREFIX.length(), id, 0);
    for (int i = PREFIX.length(); i < id.length; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
