package dev.clauderelay.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The checkpoint file: a header line ({@link CheckpointHeader}), then one line per chunk written to
 * the output, in order: {@code {"chunk":N,"end":BYTES}} ({@code "failed":true} for an error line),
 * where {@code end} is the output's length once that chunk's line was written; a finished job adds
 * {@code {"done":true,"chunks":N}}.
 *
 * <p>A record is appended only after its output line reached the file, so the output is never
 * behind the checkpoint; it may be ahead by lines whose record a kill prevented, and those are cut
 * off and asked again on resume. A torn last line (killed mid-append) is ignored.
 */
final class CheckpointLog {
  private CheckpointLog() {}

  /**
   * What a checkpoint holds, limited to records whose line is within {@code outputSize} bytes.
   *
   * @param header the header line, or null when the file has no complete one
   * @param chunks chunks 0..chunks-1 are in the output
   * @param end output bytes holding them
   * @param lastStart where the line of chunk {@code chunks - 1} starts
   * @param failed those of them that are error lines
   * @param validBytes checkpoint bytes up to the last record kept
   * @param done the job finished (every chunk written)
   */
  record Parsed(
      JsonObject header,
      long chunks,
      long end,
      long lastStart,
      Set<Long> failed,
      long validBytes,
      boolean done) {}

  static Buffer header(CheckpointHeader header) {
    return header.toJson().toBuffer().appendByte((byte) '\n');
  }

  static Buffer record(long chunk, long end, boolean failed) {
    String failedPart = failed ? ",\"failed\":true" : "";
    return Buffer.buffer("{\"chunk\":" + chunk + ",\"end\":" + end + failedPart + "}\n");
  }

  static Buffer done(long chunks) {
    return Buffer.buffer("{\"done\":true,\"chunks\":" + chunks + "}\n");
  }

  /** Blocking: for a worker thread. */
  static Parsed read(Path file, long outputSize) throws IOException {
    JsonObject header = null;
    long chunks = 0;
    long end = 0;
    long lastStart = 0;
    Set<Long> failed = new HashSet<>();
    long validBytes = 0;
    boolean done = false;
    long offset = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      int b;
      while ((b = in.read()) != -1) {
        offset++;
        if (b != '\n') {
          line.write(b);
          continue;
        }
        JsonObject json = parse(line);
        line.reset();
        if (json == null) {
          throw corrupt(file, offset, "a line that is not JSON");
        }
        if (header == null) {
          header = json;
        } else if (Boolean.TRUE.equals(json.getValue("done"))) {
          done = true;
        } else {
          if (done) {
            throw corrupt(file, offset, "a record after the end");
          }
          long chunk = number(json, "chunk", file, offset);
          long recordEnd = number(json, "end", file, offset);
          if (chunk != chunks || recordEnd <= end) {
            throw corrupt(file, offset, "chunk " + chunk + " out of order");
          }
          if (recordEnd > outputSize) {
            // The output lost what this record says was written (not a kill: a crash of the
            // machine before the page cache reached the disk). Resume from what it has.
            break;
          }
          lastStart = end;
          end = recordEnd;
          chunks++;
          if (Boolean.TRUE.equals(json.getValue("failed"))) {
            failed.add(chunk);
          }
        }
        validBytes = offset;
      }
    }
    return new Parsed(header, chunks, end, lastStart, failed, validBytes, done);
  }

  private static JsonObject parse(ByteArrayOutputStream line) {
    try {
      return new JsonObject(line.toString(StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static long number(JsonObject json, String key, Path file, long offset) {
    if (json.getValue(key) instanceof Number n) {
      return n.longValue();
    }
    throw corrupt(file, offset, "a record without \"" + key + "\"");
  }

  private static JobSetupException corrupt(Path file, long offset, String what) {
    return new JobSetupException(
        "checkpoint "
            + file
            + " is damaged ("
            + what
            + " before byte "
            + offset
            + "); remove it and the output to start over, or use another --out");
  }
}
