package dev.clauderelay.stream;

/**
 * How a job ended.
 *
 * @param chunks all chunks of the input
 * @param alreadyDone chunks that were in the output when this run started
 * @param copied good answers copied from the previous output (a run re-asking failed chunks)
 * @param answered chunks answered by this run
 * @param failed error lines in the output (this run's and any kept from before)
 * @param inputTokens input tokens of this run's answers
 * @param outputTokens output tokens of this run's answers
 * @param elapsedMs duration of this run
 * @param maxOutstanding most chunks held at once between reader and output (the memory bound)
 * @param readerPauses times the full pipeline or the output paused the reading
 * @param writerStalls times the output's write queue was full
 */
public record JobReport(
    long chunks,
    long alreadyDone,
    long copied,
    long answered,
    long failed,
    long inputTokens,
    long outputTokens,
    long elapsedMs,
    long maxOutstanding,
    long readerPauses,
    long writerStalls) {

  /** True when every chunk has an answer in the output. */
  public boolean succeeded() {
    return failed == 0;
  }
}
