package dev.clauderelay.stream;

import dev.clauderelay.client.ClaudeClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * A large text through the model, chunk by chunk: the input is read as a stream and split at
 * paragraph boundaries ({@link TextChunker}); each chunk is asked as a streamed message through the
 * client's pipeline, {@code concurrency} at a time; the answers are written in input order as JSON
 * Lines ({@link ChunkOutcome}), with a checkpoint that lets a re-run with the same output resume
 * ({@link Recovery}). A chunk that fails after the pipeline's retries becomes an error line and the
 * others go on; the report counts it, and a re-run asks it again.
 *
 * <p>Memory does not grow with the input: at most {@code concurrency + reorderWindow} chunks are
 * between the reader and the output; when that many are, or when the output's write queue is full,
 * reading pauses. All of the job's work runs on one event-loop context; file reads and writes are
 * Vert.x asynchronous file operations, and the setup's blocking file work runs on a worker.
 */
public final class LargeTextJob {
  private final Vertx vertx;
  private final ClaudeClient client;
  private final LargeTextJobOptions options;
  private final PrintWriter err;
  private final JobFiles files;
  private final Context ctx;
  private final Promise<JobReport> result = Promise.promise();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final long startNanos = System.nanoTime();

  private ResumePlan plan;
  private long inputBytes;
  private AsyncFile input;
  private ChunkSource source;
  private OrderedWriter writer;
  private ChunkCall calls;
  private ProgressPrinter printer;
  private long read;
  private long total = -1;
  private int inFlight;
  private long answered;
  private long inputTokens;
  private long outputTokens;
  private long maxOutstanding;
  private boolean ending;

  /** A chunk read and waiting for a free slot. */
  private record Pending(long chunk, String text) {}

  private LargeTextJob(
      Vertx vertx, ClaudeClient client, LargeTextJobOptions options, PrintWriter err) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.err = err;
    this.files = JobFiles.of(options.getOutput());
    this.ctx = vertx.getOrCreateContext();
  }

  /**
   * Runs a job. Completes with the report when every chunk is in the output (some may be error
   * lines); fails with a {@link JobSetupException} when the output cannot be resumed as asked, or
   * with the I/O error that stopped it (a re-run resumes).
   *
   * @param err where progress and the summary go (stderr, usually)
   */
  public static Future<JobReport> run(
      Vertx vertx, ClaudeClient client, LargeTextJobOptions options, PrintWriter err) {
    options.check();
    LargeTextJob job = new LargeTextJob(vertx, client, options, err);
    job.ctx.runOnContext(v -> job.start());
    return job.result.future();
  }

  private void start() {
    ctx.executeBlocking(
            () -> {
              if (!Files.isRegularFile(options.getInput())
                  || !Files.isReadable(options.getInput())) {
                throw new JobSetupException(
                    "input " + options.getInput() + " is not a readable file");
              }
              inputBytes = Files.size(options.getInput());
              return Recovery.prepare(files, CheckpointHeader.of(options, inputBytes));
            })
        .compose(this::open)
        .onFailure(this::fail);
  }

  private Future<Void> open(ResumePlan plan) {
    this.plan = plan;
    printer =
        new ProgressPrinter(
            vertx, ctx, err, options.getProgress(), options.getProgressIntervalMs());
    if (plan.finished()) {
      total = plan.skipBelow();
      return finish();
    }
    FileSystem fs = vertx.fileSystem();
    OpenOptions readOnly = new OpenOptions().setWrite(false).setCreate(false);
    Future<AsyncFile> in = fs.open(options.getInput().toString(), readOnly);
    Future<AsyncFile> out = fs.open(files.output().toString(), new OpenOptions().setRead(false));
    Future<AsyncFile> ckpt =
        fs.open(files.checkpoint().toString(), new OpenOptions().setRead(false));
    Future<AsyncFile> prev =
        plan.previous() == null
            ? Future.succeededFuture()
            : fs.open(files.previous().toString(), readOnly);
    return Future.all(in, out, ckpt, prev)
        .onFailure(
            t -> {
              for (Future<AsyncFile> f : List.of(in, out, ckpt, prev)) {
                if (f.succeeded() && f.result() != null) {
                  f.result().close();
                }
              }
            })
        .map(
            all -> {
              begin(in.result(), out.result(), ckpt.result(), prev.result());
              return null;
            });
  }

  private void begin(AsyncFile in, AsyncFile out, AsyncFile ckpt, AsyncFile prev) {
    input = in;
    out.setWritePos(plan.outputBytes()).setWriteQueueMaxSize(options.getWriteQueueMaxBytes());
    ckpt.setWritePos(plan.checkpointBytes());
    writer =
        new OrderedWriter(
            out,
            ckpt,
            prev == null ? null : new PreviousOutput(prev),
            plan.skipBelow(),
            plan.outputBytes(),
            this::pump,
            this::fail);
    calls = new ChunkCall(client, options);
    printer.start(this::snapshot);
    source = new ChunkSource(in, options.getChunkChars(), this::onChunk, v -> onEnd(), this::fail);
  }

  private void onChunk(String text) {
    long chunk = read++;
    if (chunk < plan.skipBelow() || ending) {
      return;
    }
    if (plan.previous() != null && plan.previous().hasGoodAnswer(chunk)) {
      writer.copy(chunk);
    } else {
      waiting.add(new Pending(chunk, text));
    }
    pump();
  }

  private void onEnd() {
    total = read;
    if (total < plan.skipBelow()) {
      fail(
          new JobSetupException(
              "the output holds "
                  + plan.skipBelow()
                  + " chunks but the input has "
                  + total
                  + "; the input changed since that run. Use another --out"));
      return;
    }
    pump();
  }

  /** Starts what may start, pauses or resumes the reading, finishes when all is written. */
  private void pump() {
    if (ending) {
      return;
    }
    while (inFlight < options.getConcurrency() && !waiting.isEmpty()) {
      dispatch(waiting.poll());
    }
    long outstanding = Math.max(0, read - writer.next());
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    if (outstanding >= options.maxOutstanding() || writer.holdsBack()) {
      source.pause();
    } else {
      source.resume();
    }
    if (total >= 0 && writer.next() == total) {
      finish();
    }
  }

  private void dispatch(Pending pending) {
    inFlight++;
    calls
        .run(pending.chunk(), pending.text())
        .onSuccess(
            outcome -> {
              inFlight--;
              if (ending) {
                return;
              }
              if (!outcome.failed()) {
                answered++;
                inputTokens += outcome.inputTokens();
                outputTokens += outcome.outputTokens();
              }
              writer.accept(outcome);
              pump();
            });
  }

  private Future<Void> finish() {
    ending = true;
    Future<Void> done =
        writer == null
            ? Future.succeededFuture()
            : writer
                .finish(total)
                .compose(v -> input.close())
                .compose(
                    v ->
                        plan.previous() == null
                            ? Future.succeededFuture()
                            : ctx.executeBlocking(
                                () -> {
                                  Recovery.deletePrevious(files);
                                  return null;
                                }));
    return done.compose(
            v -> {
              JobReport report = report();
              return printer.finish(snapshot(), summary(report)).map(report);
            })
        .onSuccess(result::tryComplete)
        .onFailure(this::fail)
        .mapEmpty();
  }

  private void fail(Throwable t) {
    if (result.future().isComplete()) {
      return;
    }
    boolean first = !ending;
    ending = true;
    if (first && calls != null) {
      calls.cancelAll();
    }
    if (source != null) {
      source.pause();
    }
    Future<Void> closed =
        writer == null
            ? Future.succeededFuture()
            : Future.join(writer.close(), input.close()).mapEmpty();
    closed
        .eventually(
            () ->
                printer == null
                    ? Future.succeededFuture()
                    : printer.finish(snapshot(), "batch: stopped: " + t.getMessage()))
        .onComplete(v -> result.tryFail(t));
  }

  private JobReport report() {
    long failed = plan.failuresKept() + (writer == null ? 0 : writer.failedLines());
    return new JobReport(
        total,
        plan.skipBelow(),
        writer == null ? 0 : writer.copied(),
        answered,
        failed,
        inputTokens,
        outputTokens,
        (System.nanoTime() - startNanos) / 1_000_000,
        maxOutstanding,
        source == null ? 0 : source.pauses(),
        writer == null ? 0 : writer.stalls());
  }

  private ProgressSnapshot snapshot() {
    long done = writer == null ? plan == null ? 0 : plan.skipBelow() : writer.next();
    long failed =
        (plan == null ? 0 : plan.failuresKept()) + (writer == null ? 0 : writer.failedLines());
    double fraction =
        source == null || inputBytes == 0 ? 0 : (double) source.bytesRead() / inputBytes;
    return new ProgressSnapshot(
        done,
        plan == null ? 0 : plan.skipBelow(),
        total,
        read,
        fraction,
        failed,
        inputTokens,
        outputTokens,
        (System.nanoTime() - startNanos) / 1_000_000);
  }

  private String summary(JobReport r) {
    return String.format(
        Locale.ROOT,
        "batch: %s %d chunks in %s (%d answered now, %d already there, %d copied), %d failed,"
            + " tokens %s in / %s out, %.1f s",
        r.succeeded() ? "done:" : "done with failures:",
        r.chunks(),
        files.output(),
        r.answered(),
        r.alreadyDone(),
        r.copied(),
        r.failed(),
        ProgressSnapshot.compact(r.inputTokens()),
        ProgressSnapshot.compact(r.outputTokens()),
        r.elapsedMs() / 1000.0);
  }
}
