package dev.clauderelay.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KeyPoolTest {
  private static final String K1 = FakeKeys.SK_ANT + "api03-FAKE-first-key-aaaa1111";
  private static final String K2 = FakeKeys.SK_ANT + "api03-FAKE-second-key-bbbb2222";
  private static final String K3 = FakeKeys.SK_ANT + "api03-FAKE-third-key-cccc3333";

  private static Vertx vertx;

  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(KeyPool.class);
  private Level level;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  @BeforeEach
  void captureLogs() {
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
    logger.setLevel(level);
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage();
      for (String secret : List.of(K1, K2, K3, "bad-key", "good-key")) {
        assertFalse(line.contains(secret), "a key reached the log: " + line);
      }
    }
  }

  private static KeyPool inline(String... keys) {
    return KeyPool.create(vertx, "r", List.of(keys), List.of(), () -> 0L);
  }

  private static String next(KeyPool pool, long now) {
    return pool.next(now).map(ApiKey::secret).orElse("-");
  }

  @Test
  void roundRobinSkipsRevokedAndPausedKeys() {
    KeyPool pool = inline(K1, K2, K3);
    assertEquals(
        List.of(K1, K2, K3, K1),
        List.of(next(pool, 0), next(pool, 0), next(pool, 0), next(pool, 0)));
    ApiKey k2 = pool.keys().get(1);
    assertTrue(pool.revoke(k2));
    assertFalse(pool.revoke(k2), "already revoked");
    pool.pauseUntil(pool.keys().get(2), 1000);
    assertEquals(List.of(K1, K1), List.of(next(pool, 10), next(pool, 10)));
    assertTrue(pool.hasAvailable(10));
    assertEquals(List.of(K3, K1), List.of(next(pool, 1000), next(pool, 1000)));
    assertEquals(1, pool.revocationCount());
  }

  @Test
  void allPausedAndAllRevoked() {
    KeyPool pool = inline(K1, K2);
    pool.pauseUntil(pool.keys().get(0), 500);
    pool.pauseUntil(pool.keys().get(1), 300);
    assertTrue(pool.allPaused(100));
    assertEquals(Optional.empty(), pool.next(100));
    assertEquals(300, pool.earliestAvailableAt(100));
    assertTrue(pool.hasUnrevoked());
    pool.keys().forEach(pool::revoke);
    assertFalse(pool.hasUnrevoked());
    assertFalse(pool.allPaused(100));
    assertEquals(Long.MAX_VALUE, pool.earliestAvailableAt(100));
    // A probe may still try a revoked key, to find out it works again.
    assertEquals(K1, pool.probeKey().orElseThrow().secret());
    pool.restore(pool.keys().get(0));
    assertTrue(pool.hasUnrevoked());
  }

  @Test
  void blankAndMultiWordKeysAreIgnoredAndDuplicatesMerged() {
    KeyPool pool = inline(K1, "  ", "two words", K1);
    assertEquals(1, pool.keys().size());
    assertEquals(K1, pool.keys().get(0).secret());
  }

  @Test
  void keysNeverShowInToStringOrStatus() {
    KeyPool pool = inline(K1, K2);
    pool.revoke(pool.keys().get(0));
    String text = pool + " " + pool.keys() + " " + pool.toSafeJson(0).encode();
    assertFalse(text.contains(K1), text);
    assertFalse(text.contains(K2), text);
    assertTrue(text.contains("sk-ant-…1111"), text);
    assertTrue(text.contains("REVOKED"), text);
  }

  @Test
  void aRotatedKeyFileYieldsAFreshKey() throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, K1 + "\n");
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(), List.of(file), () -> 0L));
    ApiKey first = pool.next(0).orElseThrow();
    assertEquals(K1, first.secret());
    assertEquals(file.toString(), first.source());
    pool.revoke(first);
    assertFalse(pool.hasUnrevoked());
    long generation = pool.generation();

    Files.writeString(file, "  " + K2 + "  \n");
    assertTrue(Await.result(pool.refresh()));
    assertNotEquals(generation, pool.generation());
    assertEquals(K2, next(pool, 0));
    assertTrue(pool.hasUnrevoked());
    assertFalse(pool.contains(first), "the old key left the pool");
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("rotated")));
  }

  @Test
  void aSameSizeRewriteWithinTheSameTimestampIsNotMissed() throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, K1);
    FileTime mtime = Files.getLastModifiedTime(file);
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(), List.of(file), () -> 0L));
    assertEquals(K1, next(pool, 0));
    // Same length, same modification time: only the racy-timestamp rule catches it.
    String sameLength = K1.substring(0, K1.length() - 4) + "zzzz";
    Files.writeString(file, sameLength);
    Files.setLastModifiedTime(file, mtime);
    assertTrue(Await.result(pool.refresh()));
    assertEquals(sameLength, next(pool, 0));
  }

  @Test
  void anUnchangedFileIsNotReadAgainOnceSettled() throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, K1);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(), List.of(file), () -> 0L));
    long generation = pool.generation();
    assertFalse(Await.result(pool.refresh()));
    assertEquals(generation, pool.generation());
  }

  @Test
  void aMissingFileGivesNoKeyUntilItAppearsAndAVanishedFileKeepsItsKey() throws IOException {
    Path file = dir.resolve("later");
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(K1), List.of(file), () -> 0L));
    assertEquals(List.of(K1), pool.keys().stream().map(ApiKey::secret).toList());
    assertTrue(
        logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("cannot be read")));

    Files.writeString(file, K2);
    assertTrue(Await.result(pool.refresh()));
    assertEquals(List.of(K1, K2), pool.keys().stream().map(ApiKey::secret).toList());

    Files.delete(file);
    assertFalse(Await.result(pool.refresh()));
    assertEquals(List.of(K1, K2), pool.keys().stream().map(ApiKey::secret).toList());
  }

  @Test
  void anEmptyOrMultiLineFileIsIgnored() throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, "\n  \n");
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(), List.of(file), () -> 0L));
    assertTrue(pool.keys().isEmpty());
    Files.writeString(file, K1 + "\n" + K2 + "\n");
    assertFalse(Await.result(pool.refresh()));
    assertTrue(pool.keys().isEmpty());
    List<String> warnings = new ArrayList<>();
    logs.list.forEach(e -> warnings.add(e.getFormattedMessage()));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("no usable key")), warnings.toString());
  }

  @Test
  void watchPicksUpARotationWithoutBeingAsked() throws IOException {
    Path file = dir.resolve("key");
    Files.writeString(file, K1);
    KeyPool pool = Await.result(KeyPool.load(vertx, "r", List.of(), List.of(file), () -> 0L));
    pool.watch(20);
    try {
      Files.writeString(file, K3);
      Eventually.until(vertx, 3000, () -> pool.keys().get(0).secret().equals(K3));
    } finally {
      pool.close();
    }
  }
}
