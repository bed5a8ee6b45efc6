package dev.clauderelay.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes chunk lines in input order whatever order the answers finish in, and appends each line's
 * checkpoint record once the line and every line before it are in the file. (Vert.x file writes may
 * complete out of order, so a record waits for all earlier writes.) Checkpoint appends go one at a
 * time, each carrying the records gathered meanwhile, so a kill can tear only the last one.
 *
 * <p>When the output's write queue is full the writer holds back until it drains; answers then wait
 * here, the job sees {@link #holdsBack()} and pauses the reader: the disk's pace reaches the input.
 * Confined to the job's context.
 */
final class OrderedWriter {
  private final AsyncFile out;
  private final AsyncFile checkpoint;
  private final PreviousOutput previous;
  private final Runnable onWritten;
  private final Handler<Throwable> onError;
  private final Map<Long, ChunkOutcome> ready = new HashMap<>();
  private final Set<Long> copies = new HashSet<>();
  private final ArrayDeque<Record> unrecorded = new ArrayDeque<>();
  private Buffer recordsToAppend = Buffer.buffer();
  private boolean appending;
  private Promise<Void> idle;
  private long next;
  private long offset;
  private boolean copying;
  private boolean stalled;
  private boolean broken;
  private long stalls;
  private long failedLines;
  private long copied;

  /** A line queued to the output, waiting for it and its predecessors to complete. */
  private record Record(long chunk, long end, boolean failed, Future<Void> written) {}

  OrderedWriter(
      AsyncFile out,
      AsyncFile checkpoint,
      PreviousOutput previous,
      long firstChunk,
      long outputBytes,
      Runnable onWritten,
      Handler<Throwable> onError) {
    this.out = out;
    this.checkpoint = checkpoint;
    this.previous = previous;
    this.next = firstChunk;
    this.offset = outputBytes;
    this.onWritten = onWritten;
    this.onError = onError;
  }

  /** An answer (or error line) to write when its turn comes. */
  void accept(ChunkOutcome outcome) {
    ready.put(outcome.chunk(), outcome);
    drain();
  }

  /** This chunk's line is copied from the previous output when its turn comes. */
  void copy(long chunk) {
    copies.add(chunk);
    drain();
  }

  /** The next chunk to write: those below it are in the output. */
  long next() {
    return next;
  }

  /** True while the output file does not take more: the reader should pause. */
  boolean holdsBack() {
    return stalled;
  }

  long stalls() {
    return stalls;
  }

  long failedLines() {
    return failedLines;
  }

  long copied() {
    return copied;
  }

  /**
   * After the last chunk was handed over and written: appends the end record, forces both files to
   * the disk and closes them.
   */
  Future<Void> finish(long chunks) {
    return whenRecorded()
        .compose(v -> checkpoint.write(CheckpointLog.done(chunks)))
        .compose(v -> Future.all(out.flush(), checkpoint.flush()))
        .compose(v -> close());
  }

  /** Closes the files without the end record (the job failed; a re-run resumes). */
  Future<Void> close() {
    Future<Void> prev = previous == null ? Future.succeededFuture() : previous.close();
    return Future.join(out.close(), checkpoint.close(), prev).mapEmpty();
  }

  private void drain() {
    long before = next;
    while (!stalled && !copying && !broken) {
      if (out.writeQueueFull()) {
        stalled = true;
        stalls++;
        out.drainHandler(
            v -> {
              stalled = false;
              drain();
              onWritten.run();
            });
        break;
      }
      ChunkOutcome outcome = ready.remove(next);
      if (outcome != null) {
        write(outcome.line(), outcome.failed());
      } else if (copies.remove(next)) {
        copyFromPrevious(next);
      } else {
        break;
      }
    }
    if (next != before) {
      onWritten.run();
    }
  }

  private void copyFromPrevious(long chunk) {
    copying = true;
    previous
        .line(chunk)
        .onComplete(
            line -> {
              copying = false;
              if (line.failed()) {
                fail(line.cause());
                return;
              }
              copied++;
              write(line.result(), false);
              drain();
              onWritten.run();
            });
  }

  private void write(Buffer line, boolean failed) {
    long chunk = next++;
    offset += line.length();
    if (failed) {
      failedLines++;
    }
    Future<Void> written = out.write(line);
    unrecorded.add(new Record(chunk, offset, failed, written));
    written.onComplete(
        ar -> {
          if (ar.failed()) {
            fail(ar.cause());
          } else {
            recordCompleted();
          }
        });
  }

  /** Moves every record whose line and predecessors are written to the checkpoint. */
  private void recordCompleted() {
    while (!unrecorded.isEmpty() && unrecorded.peek().written().succeeded()) {
      Record r = unrecorded.poll();
      recordsToAppend.appendBuffer(CheckpointLog.record(r.chunk(), r.end(), r.failed()));
    }
    append();
  }

  private void append() {
    if (appending || broken) {
      return;
    }
    if (recordsToAppend.length() == 0) {
      if (unrecorded.isEmpty() && idle != null) {
        Promise<Void> p = idle;
        idle = null;
        p.complete();
      }
      return;
    }
    Buffer batch = recordsToAppend;
    recordsToAppend = Buffer.buffer();
    appending = true;
    checkpoint
        .write(batch)
        .onComplete(
            ar -> {
              appending = false;
              if (ar.failed()) {
                fail(ar.cause());
              } else {
                append();
              }
            });
  }

  private Future<Void> whenRecorded() {
    if (broken) {
      return Future.failedFuture("the output could not be written");
    }
    if (unrecorded.isEmpty() && !appending && recordsToAppend.length() == 0) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    return idle.future();
  }

  private void fail(Throwable t) {
    if (broken) {
      return;
    }
    broken = true;
    if (idle != null) {
      idle.tryFail(t);
    }
    onError.handle(t);
  }
}
