package dev.clauderelay.stream;

import java.nio.file.Path;

/**
 * What a {@link LargeTextJob} does and how much it may hold at once. Setters check their argument
 * at once and name the option in the error.
 *
 * <p>Memory is bounded by these settings, not by the input: at most {@code concurrency +
 * reorderWindow} chunks (each at most {@code chunkChars} of input plus an answer of at most {@code
 * maxTokens}) are between the reader and the output file, plus the few chunks of the one read that
 * crossed that limit ({@link #READ_OVERSHOOT}), the chunker's buffer (about two chunks) and the
 * output's write queue ({@code writeQueueMaxBytes}).
 */
public final class LargeTextJobOptions {
  /** Model asked when none is given. */
  public static final String DEFAULT_MODEL = "claude-sonnet-4-6";

  /** {@code max_tokens} of each chunk's answer. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Chunks whose answers stream at the same time. */
  public static final int DEFAULT_CONCURRENCY = 4;

  /** Largest chunk, in characters (UTF-16 units). */
  public static final int DEFAULT_CHUNK_CHARS = 8000;

  /**
   * Chunks finished (or read) beyond the in-flight ones while an earlier chunk is still being
   * answered; when it is used up, reading pauses.
   */
  public static final int DEFAULT_REORDER_WINDOW = 8;

  /**
   * Times a chunk whose stream was cut after content is asked again. The pipeline retries a stream
   * only until its first content; for a whole-chunk job a partial answer is worth nothing, so
   * asking again is safe.
   */
  public static final int DEFAULT_INTERRUPT_RETRIES = 2;

  /** Output bytes queued to the file before the writer holds back (and reading pauses). */
  public static final int DEFAULT_WRITE_QUEUE_MAX_BYTES = 256 * 1024;

  /** Between two plain progress lines, in milliseconds (a terminal's bar redraws faster). */
  public static final long DEFAULT_PROGRESS_INTERVAL_MS = 5000;

  /**
   * Chunks one read of the input can yield beyond the limit: a read is at most {@code chunkChars}
   * bytes, so at most that many characters, and two consecutive chunks together always exceed a
   * chunk (else they would have been one).
   */
  public static final int READ_OVERSHOOT = 3;

  /** How progress is shown on stderr. */
  public enum Progress {
    /** A bar redrawn in place (stderr is a terminal). */
    BAR,
    /** A line every {@code progressIntervalMs} (stderr is a file or a pipe). */
    LINES,
    /** Nothing but the final summary line. */
    NONE
  }

  private Path input;
  private Path output;
  private String prompt;
  private String model = DEFAULT_MODEL;
  private int maxTokens = DEFAULT_MAX_TOKENS;
  private int concurrency = DEFAULT_CONCURRENCY;
  private int chunkChars = DEFAULT_CHUNK_CHARS;
  private int reorderWindow = DEFAULT_REORDER_WINDOW;
  private int interruptRetries = DEFAULT_INTERRUPT_RETRIES;
  private int writeQueueMaxBytes = DEFAULT_WRITE_QUEUE_MAX_BYTES;
  private Progress progress = Progress.LINES;
  private long progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS;

  public Path getInput() {
    return input;
  }

  /** The text file to process (UTF-8). Required. */
  public LargeTextJobOptions setInput(Path input) {
    this.input = required("input", input);
    return this;
  }

  public Path getOutput() {
    return output;
  }

  /**
   * The JSON Lines output. Required. Its checkpoint is {@code <output>.checkpoint}; running again
   * with the same output resumes.
   */
  public LargeTextJobOptions setOutput(Path output) {
    this.output = required("output", output);
    return this;
  }

  public String getPrompt() {
    return prompt;
  }

  /** The instruction sent before every chunk. Required, not blank. */
  public LargeTextJobOptions setPrompt(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("prompt must not be blank");
    }
    this.prompt = prompt;
    return this;
  }

  public String getModel() {
    return model;
  }

  /** Model id; default {@value #DEFAULT_MODEL}. */
  public LargeTextJobOptions setModel(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    this.model = model;
    return this;
  }

  public int getMaxTokens() {
    return maxTokens;
  }

  /** {@code max_tokens} per chunk, 1..1000000; default {@value #DEFAULT_MAX_TOKENS}. */
  public LargeTextJobOptions setMaxTokens(int maxTokens) {
    this.maxTokens = inRange("maxTokens", maxTokens, 1, 1_000_000);
    return this;
  }

  public int getConcurrency() {
    return concurrency;
  }

  /** Streams at once, 1..256; default {@value #DEFAULT_CONCURRENCY}. */
  public LargeTextJobOptions setConcurrency(int concurrency) {
    this.concurrency = inRange("concurrency", concurrency, 1, 256);
    return this;
  }

  public int getChunkChars() {
    return chunkChars;
  }

  /** Largest chunk in characters, 100..10000000; default {@value #DEFAULT_CHUNK_CHARS}. */
  public LargeTextJobOptions setChunkChars(int chunkChars) {
    this.chunkChars = inRange("chunkChars", chunkChars, 100, 10_000_000);
    return this;
  }

  public int getReorderWindow() {
    return reorderWindow;
  }

  /** Chunks held beyond the in-flight ones, 0..4096; default {@value #DEFAULT_REORDER_WINDOW}. */
  public LargeTextJobOptions setReorderWindow(int reorderWindow) {
    this.reorderWindow = inRange("reorderWindow", reorderWindow, 0, 4096);
    return this;
  }

  public int getInterruptRetries() {
    return interruptRetries;
  }

  /**
   * Re-asks of a chunk whose stream was cut, 0..10; default {@value #DEFAULT_INTERRUPT_RETRIES}.
   */
  public LargeTextJobOptions setInterruptRetries(int interruptRetries) {
    this.interruptRetries = inRange("interruptRetries", interruptRetries, 0, 10);
    return this;
  }

  public int getWriteQueueMaxBytes() {
    return writeQueueMaxBytes;
  }

  /**
   * Output bytes queued before the writer waits for the disk, 2..67108864; default {@value
   * #DEFAULT_WRITE_QUEUE_MAX_BYTES}.
   */
  public LargeTextJobOptions setWriteQueueMaxBytes(int writeQueueMaxBytes) {
    this.writeQueueMaxBytes = inRange("writeQueueMaxBytes", writeQueueMaxBytes, 2, 64 << 20);
    return this;
  }

  public Progress getProgress() {
    return progress;
  }

  /** How progress is shown; default {@code LINES}. */
  public LargeTextJobOptions setProgress(Progress progress) {
    this.progress = required("progress", progress);
    return this;
  }

  public long getProgressIntervalMs() {
    return progressIntervalMs;
  }

  /**
   * Between plain progress lines, ms, 10..3600000; default {@value #DEFAULT_PROGRESS_INTERVAL_MS}.
   */
  public LargeTextJobOptions setProgressIntervalMs(long progressIntervalMs) {
    if (progressIntervalMs < 10 || progressIntervalMs > 3_600_000) {
      throw new IllegalArgumentException(
          "progressIntervalMs must be between 10 and 3600000 ms, got " + progressIntervalMs);
    }
    this.progressIntervalMs = progressIntervalMs;
    return this;
  }

  /** Chunks between the reader and the output file at most. */
  int maxOutstanding() {
    return concurrency + reorderWindow;
  }

  void check() {
    if (input == null || output == null || prompt == null) {
      throw new IllegalArgumentException("input, output and prompt are required");
    }
  }

  private static <T> T required(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static int inRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
