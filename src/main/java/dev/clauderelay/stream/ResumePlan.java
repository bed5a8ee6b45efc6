package dev.clauderelay.stream;

import java.util.Set;

/**
 * Where a run starts, as {@link Recovery} found the files.
 *
 * @param skipBelow chunks below this number are already in the output
 * @param outputBytes the output's length (cut to its last recorded line)
 * @param checkpointBytes the checkpoint's length (cut to its last whole record)
 * @param failuresKept error lines among the chunks already in the output
 * @param previous when a run re-asks chunks that failed before: the earlier output's chunk count
 *     and failed chunks; its other chunks are copied, not asked again. Null otherwise
 * @param finished the checkpoint says the job is done: nothing is read or asked
 */
record ResumePlan(
    long skipBelow,
    long outputBytes,
    long checkpointBytes,
    long failuresKept,
    Previous previous,
    boolean finished) {

  /** The earlier output that good answers are copied from. */
  record Previous(long chunks, Set<Long> failed) {
    boolean hasGoodAnswer(long chunk) {
      return chunk < chunks && !failed.contains(chunk);
    }
  }
}
