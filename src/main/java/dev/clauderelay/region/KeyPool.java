package dev.clauderelay.region;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one region: inline {@code apiKeys} and {@code apiKeyFiles} (each file holds one key,
 * trimmed), handed out round-robin among keys that are neither revoked (401) nor paused (429).
 *
 * <p>Key files are re-read when they change, the Kubernetes-Secret way of rotating without a
 * restart: {@link #refresh()} (also run by {@link #watch(long)} on a Vert.x periodic timer and by
 * the health probe before each round) compares each file's modification time and size and reads it
 * again only when they differ, or when the last read was so close to the modification time that a
 * same-timestamp rewrite could hide (the "racy timestamp" rule git uses). All I/O is Vert.x's
 * asynchronous file system; nothing blocks an event loop.
 *
 * <p>State is per key value: a rewritten file holding a new key yields a fresh, unrevoked key; the
 * same value keeps its revocation. A file that disappears or becomes unreadable keeps its last good
 * key (a flapping volume mount must not take the region down); an empty file or one whose content
 * contains whitespace is ignored with a warning that never shows the content.
 *
 * <p>Thread-safe: the pipeline may call it from any event loop.
 */
public final class KeyPool {
  private static final Logger LOG = LoggerFactory.getLogger(KeyPool.class);

  /** Suggested period for {@link #watch(long)}, milliseconds. */
  public static final long DEFAULT_WATCH_INTERVAL_MS = 5_000;

  /**
   * A file read less than this long after its modification time is read again on the next check,
   * because a rewrite within the file system's timestamp granularity would leave the time as is.
   */
  static final long RACY_WINDOW_MS = 2_000;

  private final Vertx vertx;
  private final String owner;
  private final LongSupplier clock;
  private final List<Source> sources = new ArrayList<>();
  private final Map<String, Status> status = new HashMap<>();
  private final AtomicLong revocations = new AtomicLong();
  private int cursor;
  private int probeCursor;
  private long generation;

  /** {@link #keys()}: the keys of {@code sources}, duplicates removed, rebuilt by reindex. */
  private List<ApiKey> keyList = List.of();

  private long watchTimer = -1;
  private Future<Boolean> refreshing;

  /** Where a key comes from; {@code file} is null for inline keys. */
  private static final class Source {
    final String label;
    final Path file;
    ApiKey key;
    long mtime = Long.MIN_VALUE;
    long size = -1;
    long readAtWallMs = Long.MIN_VALUE;
    boolean warned;

    Source(String label, Path file) {
      this.label = label;
      this.file = file;
    }
  }

  private static final class Status {
    boolean revoked;
    long pausedUntil;
  }

  private KeyPool(Vertx vertx, String owner, LongSupplier clock) {
    this.vertx = vertx;
    this.owner = owner;
    this.clock = clock;
  }

  /**
   * A pool with the inline keys loaded; key files are read by the first {@link #refresh()} (use
   * {@link #load} to wait for it).
   *
   * @param owner the region's name, for log lines
   * @param clock epoch milliseconds, for pauses
   */
  public static KeyPool create(
      Vertx vertx, String owner, List<String> apiKeys, List<Path> apiKeyFiles, LongSupplier clock) {
    KeyPool pool = new KeyPool(vertx, owner, clock);
    for (int i = 0; i < apiKeys.size(); i++) {
      Source s = new Source("apiKeys[" + i + "]", null);
      String key = apiKeys.get(i) == null ? "" : apiKeys.get(i).trim();
      if (usable(key)) {
        s.key = new ApiKey(key, s.label);
      } else {
        LOG.warn("region {}: {} is empty or contains whitespace; ignored", owner, s.label);
      }
      pool.sources.add(s);
    }
    for (Path file : apiKeyFiles) {
      pool.sources.add(new Source(file.toString(), file));
    }
    pool.reindex();
    return pool;
  }

  /** {@link #create} and a first {@link #refresh()}; completes when the key files were read. */
  public static Future<KeyPool> load(
      Vertx vertx, String owner, List<String> apiKeys, List<Path> apiKeyFiles, LongSupplier clock) {
    KeyPool pool = create(vertx, owner, apiKeys, apiKeyFiles, clock);
    return pool.refresh().map(changed -> pool);
  }

  // ---- handing out keys -----------------------------------------------------------------------

  /** The next key that is neither revoked nor paused at {@code nowMs}, round-robin. */
  public synchronized Optional<ApiKey> next(long nowMs) {
    List<ApiKey> keys = keys();
    for (int i = 0; i < keys.size(); i++) {
      ApiKey key = keys.get(Math.floorMod(cursor + i, keys.size()));
      Status s = status.get(key.secret());
      if (!s.revoked && s.pausedUntil <= nowMs) {
        cursor = Math.floorMod(cursor + i + 1, keys.size());
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /**
   * The key a health probe should use: the next unrevoked one (pauses ignored, a probe costs no
   * tokens), else a revoked one, so that a probe answered 200 can {@link #restore} a key that an
   * upstream auth blip revoked. Empty only when the pool has no key at all.
   */
  public synchronized Optional<ApiKey> probeKey() {
    List<ApiKey> keys = keys();
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    List<ApiKey> unrevoked = keys.stream().filter(k -> !status.get(k.secret()).revoked).toList();
    List<ApiKey> from = unrevoked.isEmpty() ? keys : unrevoked;
    ApiKey key = from.get(Math.floorMod(probeCursor, from.size()));
    probeCursor = Math.floorMod(probeCursor + 1, Math.max(1, from.size()));
    return Optional.of(key);
  }

  // ---- outcomes -------------------------------------------------------------------------------

  /**
   * Marks {@code key} revoked after a 401: it is no longer handed out until its file holds a new
   * key or a probe with it succeeds. Logged by fingerprint and counted.
   *
   * @return whether this call revoked it (false when already revoked or no longer in the pool)
   */
  public boolean revoke(ApiKey key) {
    int left;
    synchronized (this) {
      Status s = status.get(key.secret());
      if (s == null || s.revoked) {
        return false;
      }
      s.revoked = true;
      left = (int) status.values().stream().filter(x -> !x.revoked).count();
    }
    revocations.incrementAndGet();
    LOG.warn(
        "region {}: key {} ({}) revoked after 401 authentication_error; {} usable key(s) left",
        owner,
        key.fingerprint(),
        key.source(),
        left);
    return true;
  }

  /** Un-revokes {@code key} (a probe with it was answered 200). */
  public void restore(ApiKey key) {
    boolean restored;
    synchronized (this) {
      Status s = status.get(key.secret());
      restored = s != null && s.revoked;
      if (restored) {
        s.revoked = false;
      }
    }
    if (restored) {
      LOG.info("region {}: key {} accepted again by a probe", owner, key.fingerprint());
    }
  }

  /** Keeps {@code key} out of rotation until {@code untilMs} (epoch ms) after a 429. */
  public synchronized void pauseUntil(ApiKey key, long untilMs) {
    Status s = status.get(key.secret());
    if (s != null) {
      s.pausedUntil = Math.max(s.pausedUntil, untilMs);
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  /** The current keys, duplicates removed, in configuration order. */
  public synchronized List<ApiKey> keys() {
    return keyList;
  }

  public synchronized boolean contains(ApiKey key) {
    return status.containsKey(key.secret());
  }

  public synchronized boolean isRevoked(ApiKey key) {
    Status s = status.get(key.secret());
    return s != null && s.revoked;
  }

  /** Whether some key is not revoked; false means the region is AUTH_FAILED. */
  public synchronized boolean hasUnrevoked() {
    for (Status s : status.values()) {
      if (!s.revoked) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@link #next(long)} would return a key at {@code nowMs}. */
  public synchronized boolean hasAvailable(long nowMs) {
    for (Status s : status.values()) {
      if (!s.revoked && s.pausedUntil <= nowMs) {
        return true;
      }
    }
    return false;
  }

  /**
   * When the first key becomes available again: {@code nowMs} if one is, the earliest pause end
   * among unrevoked keys if all are paused, {@link Long#MAX_VALUE} if none is unrevoked.
   */
  public synchronized long earliestAvailableAt(long nowMs) {
    long at = Long.MAX_VALUE;
    for (Status s : status.values()) {
      if (!s.revoked) {
        at = Math.min(at, Math.max(nowMs, s.pausedUntil));
      }
    }
    return at;
  }

  /** True when there are unrevoked keys and every one of them is paused (429) at {@code nowMs}. */
  public synchronized boolean allPaused(long nowMs) {
    return hasUnrevoked() && !hasAvailable(nowMs);
  }

  /** Increments whenever the set of keys changes (a key file got new content). */
  public synchronized long generation() {
    return generation;
  }

  /** Keys revoked since start (for the metric). */
  public long revocationCount() {
    return revocations.get();
  }

  /** For {@code /status}: fingerprints, sources and per-key state; never a key. */
  public synchronized JsonArray toSafeJson(long nowMs) {
    JsonArray out = new JsonArray();
    for (ApiKey key : keys()) {
      Status s = status.get(key.secret());
      JsonObject k =
          new JsonObject()
              .put("fingerprint", key.fingerprint())
              .put("source", key.source())
              .put("state", s.revoked ? "REVOKED" : s.pausedUntil > nowMs ? "PAUSED" : "AVAILABLE");
      if (!s.revoked && s.pausedUntil > nowMs) {
        k.put("pausedForMs", s.pausedUntil - nowMs);
      }
      out.add(k);
    }
    return out;
  }

  @Override
  public synchronized String toString() {
    return "KeyPool{" + owner + ", " + keys() + "}";
  }

  // ---- key files ------------------------------------------------------------------------------

  /**
   * Re-reads the key files that changed. Concurrent calls share one refresh.
   *
   * @return whether the set of keys changed
   */
  public synchronized Future<Boolean> refresh() {
    if (refreshing != null) {
      return refreshing;
    }
    List<Future<Boolean>> checks = new ArrayList<>();
    for (Source s : sources) {
      if (s.file != null) {
        checks.add(check(s));
      }
    }
    if (checks.isEmpty()) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> done = Promise.promise();
    refreshing = done.future();
    Future.join(checks)
        .onComplete(
            ar -> {
              boolean changed = checks.stream().anyMatch(f -> f.succeeded() && f.result());
              synchronized (this) {
                refreshing = null;
              }
              done.complete(changed);
            });
    return done.future();
  }

  /** Runs {@link #refresh()} every {@code intervalMs} until {@link #close()}. */
  public synchronized void watch(long intervalMs) {
    if (watchTimer >= 0 || sources.stream().noneMatch(s -> s.file != null)) {
      return;
    }
    watchTimer = vertx.setPeriodic(intervalMs, id -> refresh());
  }

  /** Stops {@link #watch(long)}. */
  public synchronized void close() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
  }

  private Future<Boolean> check(Source s) {
    String path = s.file.toString();
    return vertx
        .fileSystem()
        .props(path)
        .compose(
            props -> {
              if (!needsRead(s, props)) {
                return Future.succeededFuture(false);
              }
              long wallBefore = System.currentTimeMillis();
              return vertx
                  .fileSystem()
                  .readFile(path)
                  .map(content -> apply(s, props, content, wallBefore));
            })
        .recover(
            failure -> {
              warnOnce(s, "cannot be read (" + failure.getClass().getSimpleName() + ")");
              return Future.succeededFuture(false);
            });
  }

  private synchronized boolean needsRead(Source s, FileProps props) {
    return props.lastModifiedTime() != s.mtime
        || props.size() != s.size
        || s.readAtWallMs - s.mtime < RACY_WINDOW_MS;
  }

  private boolean apply(Source s, FileProps props, Buffer content, long readAtWallMs) {
    String key = content.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    ApiKey old;
    ApiKey fresh;
    synchronized (this) {
      s.mtime = props.lastModifiedTime();
      s.size = props.size();
      s.readAtWallMs = readAtWallMs;
      if (!usable(key)) {
        fresh = null;
        old = null;
      } else {
        s.warned = false;
        old = s.key;
        if (old != null && old.secret().equals(key)) {
          return false;
        }
        fresh = new ApiKey(key, s.label);
        s.key = fresh;
        reindex();
      }
    }
    if (fresh == null) {
      warnOnce(s, "holds no usable key (empty, or contains whitespace)");
      return false;
    }
    if (old == null) {
      LOG.info("region {}: key file {} loaded key {}", owner, s.label, fresh.fingerprint());
    } else {
      LOG.info(
          "region {}: key file {} rotated: key {} replaces {}",
          owner,
          s.label,
          fresh.fingerprint(),
          old.fingerprint());
    }
    return true;
  }

  private void warnOnce(Source s, String problem) {
    boolean first;
    synchronized (this) {
      first = !s.warned;
      s.warned = true;
    }
    if (first) {
      LOG.warn(
          "region {}: key file {} {}; {}",
          owner,
          s.label,
          problem,
          s.key == null ? "no key from it yet" : "keeping its last key " + s.key.fingerprint());
    }
  }

  /** Keeps per-key state for the current keys only; a key seen for the first time starts fresh. */
  private void reindex() {
    Set<String> current = new HashSet<>();
    Set<ApiKey> seen = new LinkedHashSet<>();
    for (Source s : sources) {
      if (s.key != null) {
        current.add(s.key.secret());
        seen.add(s.key);
        status.computeIfAbsent(s.key.secret(), k -> new Status());
      }
    }
    status.keySet().retainAll(current);
    keyList = List.copyOf(seen);
    generation++;
  }

  /** A key is one token of printable, non-space characters: anything else breaks the header. */
  private static boolean usable(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
