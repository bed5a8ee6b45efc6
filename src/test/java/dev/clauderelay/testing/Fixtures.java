package dev.clauderelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared sample streams (copied from {@code ../shared/fixtures/sse}). */
public final class Fixtures {
  public static final Path SSE = Path.of("src", "test", "resources", "sse");

  private Fixtures() {}

  public static String sse(String name) {
    try {
      return Files.readString(SSE.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
