package dev.clauderelay.stream;

import io.vertx.core.Handler;
import io.vertx.core.file.AsyncFile;

/**
 * The input file as a stream of chunks: bytes read by an {@link AsyncFile} (no blocking read on the
 * event loop), decoded, split by a {@link TextChunker}. {@link #pause()} stops the file reading, so
 * a full pipeline holds reading back; one read buffer may still yield a chunk or two after it.
 */
final class ChunkSource {
  /** Small enough that one read yields at most a couple of chunks past a pause. */
  private static final int MAX_READ_BUFFER = 64 * 1024;

  private static final int MIN_READ_BUFFER = 4 * 1024;

  private final AsyncFile file;
  private final TextDecoder decoder = new TextDecoder();
  private final TextChunker chunker;
  private long bytesRead;
  private boolean paused;
  private long pauses;

  /**
   * @param onChunk each chunk's text, in order
   * @param onEnd after the last chunk
   * @param onError a read failure (no more chunks follow)
   */
  ChunkSource(
      AsyncFile file,
      int chunkChars,
      Handler<String> onChunk,
      Handler<Void> onEnd,
      Handler<Throwable> onError) {
    this.file = file;
    this.chunker = new TextChunker(chunkChars, onChunk::handle);
    file.setReadBufferSize(Math.max(MIN_READ_BUFFER, Math.min(MAX_READ_BUFFER, chunkChars)));
    file.exceptionHandler(onError);
    file.endHandler(
        v -> {
          chunker.accept(decoder.finish());
          chunker.finish();
          onEnd.handle(null);
        });
    file.handler(
        bytes -> {
          bytesRead += bytes.length();
          chunker.accept(decoder.decode(bytes));
        });
  }

  void pause() {
    if (!paused) {
      paused = true;
      pauses++;
      file.pause();
    }
  }

  void resume() {
    if (paused) {
      paused = false;
      file.resume();
    }
  }

  long bytesRead() {
    return bytesRead;
  }

  /** How often a full pipeline stopped the reading. */
  long pauses() {
    return pauses;
  }
}
