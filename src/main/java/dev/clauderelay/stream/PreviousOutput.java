package dev.clauderelay.stream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.parsetools.RecordParser;

/**
 * The earlier output of a re-run, read one line at a time as the writer asks for the next good
 * answer to copy. Lines come in chunk order, so one forward pass serves every copy; lines of chunks
 * not copied (failed ones, or those already in the new output) are skipped as they pass.
 */
final class PreviousOutput {
  /** A line longer than this is not one we wrote: an answer is bounded by {@code max_tokens}. */
  private static final int MAX_LINE_BYTES = 64 << 20;

  private final AsyncFile file;
  private final RecordParser lines;
  private long wanted = -1;
  private Promise<Buffer> pending;

  PreviousOutput(AsyncFile file) {
    this.file = file;
    this.lines = RecordParser.newDelimited("\n", file).maxRecordSize(MAX_LINE_BYTES);
    lines.pause();
    lines.handler(this::onLine);
    lines.exceptionHandler(this::fail);
    lines.endHandler(
        v ->
            fail(
                new JobSetupException(
                    "the previous output ended before chunk " + wanted + "; it was changed")));
  }

  /**
   * The line of {@code chunk} (newline included). Asked in increasing chunk order, one at a time.
   */
  Future<Buffer> line(long chunk) {
    wanted = chunk;
    pending = Promise.promise();
    Future<Buffer> result = pending.future();
    lines.fetch(1);
    return result;
  }

  Future<Void> close() {
    return file.close();
  }

  private void onLine(Buffer line) {
    long chunk = chunkOf(line);
    if (chunk < 0 || chunk > wanted) {
      fail(new JobSetupException("the previous output has no line for chunk " + wanted));
    } else if (chunk < wanted) {
      lines.fetch(1);
    } else {
      Promise<Buffer> p = pending;
      pending = null;
      p.complete(line.copy().appendByte((byte) '\n'));
    }
  }

  private void fail(Throwable t) {
    if (pending != null) {
      Promise<Buffer> p = pending;
      pending = null;
      p.fail(t);
    }
  }

  /** N of a line starting {@code {"chunk":N,}, or -1. */
  static long chunkOf(Buffer line) {
    String prefix = "{\"chunk\":";
    if (line.length() <= prefix.length() || !line.getString(0, prefix.length()).equals(prefix)) {
      return -1;
    }
    long n = 0;
    int i = prefix.length();
    for (; i < line.length() && i < prefix.length() + 19; i++) {
      byte b = line.getByte(i);
      if (b == ',') {
        return i == prefix.length() ? -1 : n;
      }
      if (b < '0' || b > '9') {
        return -1;
      }
      n = n * 10 + (b - '0');
    }
    return -1;
  }
}
