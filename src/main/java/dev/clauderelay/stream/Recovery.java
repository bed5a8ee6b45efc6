package dev.clauderelay.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Brings the output and its checkpoint to a state a run can continue from, before anything is read
 * or asked. Blocking file work: it runs on a worker thread.
 *
 * <p>The output is cut to the last line its checkpoint records, which drops a line half-written or
 * written without its record when the previous run was killed; those chunks are asked again. So a
 * kill at any point leaves no chunk twice and none missing.
 *
 * <p>When the output holds error lines, the run re-asks those chunks: the output and checkpoint
 * become the "previous" pair (checkpoint renamed first, so that every intermediate state is
 * recognised on the next start), and the new output is written from scratch in order, good answers
 * copied from the previous output, failed chunks and those never reached asked anew. The previous
 * pair is deleted when the run finishes.
 */
final class Recovery {
  private final JobFiles files;
  private final CheckpointHeader header;

  private Recovery(JobFiles files, CheckpointHeader header) {
    this.files = files;
    this.header = header;
  }

  static ResumePlan prepare(JobFiles files, CheckpointHeader header) throws IOException {
    return new Recovery(files, header).prepare();
  }

  private ResumePlan prepare() throws IOException {
    Path parent = files.output().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (Files.exists(files.previousCheckpoint())
        && !Files.exists(files.previous())
        && Files.exists(files.checkpoint())) {
      // Killed while deleting the previous pair of a finished re-run.
      Files.delete(files.previousCheckpoint());
    }
    if (Files.exists(files.previousCheckpoint()) && !Files.exists(files.previous())) {
      if (!Files.exists(files.output())) {
        throw new JobSetupException(
            files.previousCheckpoint()
                + " exists but neither "
                + files.previous()
                + " nor "
                + files.output()
                + " does; remove it to start over");
      }
      // Killed between the two renames that begin a re-run of failed chunks: finish it.
      Files.move(files.output(), files.previous(), StandardCopyOption.ATOMIC_MOVE);
    }
    if (Files.exists(files.previousCheckpoint())) {
      CheckpointLog.Parsed previous =
          CheckpointLog.read(files.previousCheckpoint(), Files.size(files.previous()));
      checkHeader(previous, files.previousCheckpoint());
      CheckpointLog.Parsed current = readCurrent();
      if (current == null) {
        return fresh(new ResumePlan.Previous(previous.chunks(), previous.failed()));
      }
      if (current.done()) {
        // Finished, but killed before the previous pair was deleted.
        deletePrevious();
        return resume(current);
      }
      ResumePlan plan = resume(current);
      return new ResumePlan(
          plan.skipBelow(),
          plan.outputBytes(),
          plan.checkpointBytes(),
          plan.failuresKept(),
          new ResumePlan.Previous(previous.chunks(), previous.failed()),
          false);
    }
    CheckpointLog.Parsed current = readCurrent();
    if (current == null) {
      if (Files.exists(files.output()) && Files.size(files.output()) > 0) {
        throw new JobSetupException(
            "output "
                + files.output()
                + " exists and has no checkpoint ("
                + files.checkpoint().getFileName()
                + "), so it is not a job this command can resume; remove it or use another --out");
      }
      return fresh(null);
    }
    if (current.failed().isEmpty()) {
      return resume(current);
    }
    cut(current);
    Files.move(files.checkpoint(), files.previousCheckpoint(), StandardCopyOption.ATOMIC_MOVE);
    Files.move(files.output(), files.previous(), StandardCopyOption.ATOMIC_MOVE);
    return fresh(new ResumePlan.Previous(current.chunks(), current.failed()));
  }

  /** The current checkpoint with a matching header, or null when there is none (yet). */
  private CheckpointLog.Parsed readCurrent() throws IOException {
    if (!Files.exists(files.checkpoint())) {
      return null;
    }
    long outputSize = Files.exists(files.output()) ? Files.size(files.output()) : 0;
    CheckpointLog.Parsed parsed = CheckpointLog.read(files.checkpoint(), outputSize);
    if (parsed.header() == null) {
      // Killed while the header was being written: nothing else can have been written yet.
      if (outputSize > 0) {
        throw new JobSetupException(
            "checkpoint "
                + files.checkpoint()
                + " has no header but the output is not empty;"
                + " remove both to start over");
      }
      return null;
    }
    checkHeader(parsed, files.checkpoint());
    return parsed;
  }

  private ResumePlan resume(CheckpointLog.Parsed current) throws IOException {
    cut(current);
    return new ResumePlan(
        current.chunks(),
        current.end(),
        current.validBytes(),
        current.failed().size(),
        null,
        current.done());
  }

  /** Cuts the output and the checkpoint to the last record, after checking they belong together. */
  private void cut(CheckpointLog.Parsed current) throws IOException {
    if (current.chunks() > 0) {
      checkLastLine(current);
    }
    truncate(files.output(), current.end());
    truncate(files.checkpoint(), current.validBytes());
  }

  private void checkLastLine(CheckpointLog.Parsed current) throws IOException {
    String expected = "{\"chunk\":" + (current.chunks() - 1) + ",";
    byte[] start = new byte[expected.length()];
    byte last;
    try (FileChannel out = FileChannel.open(files.output(), StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.wrap(start);
      while (head.hasRemaining() && out.read(head, current.lastStart() + head.position()) > 0) {
        // reads until the prefix is in
      }
      ByteBuffer end = ByteBuffer.allocate(1);
      out.read(end, current.end() - 1);
      last = end.get(0);
    }
    if (last != '\n' || !expected.equals(new String(start, StandardCharsets.UTF_8))) {
      throw new JobSetupException(
          "output "
              + files.output()
              + " does not match its checkpoint (chunk "
              + (current.chunks() - 1)
              + " is not where it says); remove both to start over, or use another --out");
    }
  }

  private ResumePlan fresh(ResumePlan.Previous previous) throws IOException {
    byte[] line = CheckpointLog.header(header).getBytes();
    try (FileChannel ckpt =
        FileChannel.open(
            files.checkpoint(),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ckpt.write(ByteBuffer.wrap(line));
      ckpt.force(true);
    }
    try (FileChannel out =
        FileChannel.open(
            files.output(),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      out.force(true);
    }
    return new ResumePlan(0, 0, line.length, 0, previous, false);
  }

  private void checkHeader(CheckpointLog.Parsed parsed, Path file) {
    if (parsed.header() == null) {
      throw new JobSetupException("checkpoint " + file + " has no header; remove it to start over");
    }
    List<String> differences = header.differences(parsed.header());
    if (!differences.isEmpty()) {
      throw new JobSetupException(
          "output "
              + files.output()
              + " belongs to a job with other settings ("
              + String.join(", ", differences)
              + " differ, per "
              + file.getFileName()
              + "); resuming it would mix answers. Use another --out, or remove the output and"
              + " its checkpoint to start over");
    }
  }

  /**
   * Deletes the previous output and checkpoint of a finished re-run, output first: a kill in
   * between leaves a state {@link #prepare} recognises (previous checkpoint, no previous output, a
   * current checkpoint).
   */
  static void deletePrevious(JobFiles files) throws IOException {
    Files.deleteIfExists(files.previous());
    Files.deleteIfExists(files.previousCheckpoint());
  }

  private void deletePrevious() throws IOException {
    deletePrevious(files);
  }

  private static void truncate(Path file, long size) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (channel.size() > size) {
        channel.truncate(size);
        channel.force(true);
      }
    }
  }
}
