package dev.clauderelay.stream;

import java.nio.file.Path;

/**
 * The files of one job, all next to the output: the checkpoint, and while a run re-asks chunks that
 * failed before, the previous output and its checkpoint (good answers are copied from there).
 */
record JobFiles(Path output, Path checkpoint, Path previous, Path previousCheckpoint) {
  static JobFiles of(Path output) {
    Path out = output.toAbsolutePath().normalize();
    String name = out.getFileName().toString();
    return new JobFiles(
        out,
        out.resolveSibling(name + ".checkpoint"),
        out.resolveSibling(name + ".prev"),
        out.resolveSibling(name + ".prev.checkpoint"));
  }
}
