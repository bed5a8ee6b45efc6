package dev.clauderelay.stream;

import dev.clauderelay.api.error.StreamInterruptedException;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.MessageStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Asks for one chunk's answer as a stream, through the client's pipeline (its retries cover every
 * failure before the first content). The events are consumed as they come, so nothing queues; the
 * answer is the stream's final message. A stream cut after content is asked again up to {@code
 * interruptRetries} times, since half an answer is of no use to a batch. Never fails: a failure
 * becomes an error line.
 */
final class ChunkCall {
  private final ClaudeClient client;
  private final LargeTextJobOptions options;
  private final Set<MessageStream> live = new HashSet<>();

  ChunkCall(ClaudeClient client, LargeTextJobOptions options) {
    this.client = client;
    this.options = options;
  }

  /** The request for one chunk: the prompt, a blank line, the chunk, as the user's message. */
  static JsonObject request(LargeTextJobOptions options, String chunkText) {
    return new JsonObject()
        .put("model", options.getModel())
        .put("max_tokens", options.getMaxTokens())
        .put(
            "messages",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("role", "user")
                        .put("content", options.getPrompt() + "\n\n" + chunkText)));
  }

  /** Call on the job's context. */
  Future<ChunkOutcome> run(long chunk, String text) {
    Promise<ChunkOutcome> done = Promise.promise();
    attempt(chunk, request(options, text), options.getInterruptRetries(), done);
    return done.future();
  }

  /** Stops every stream in flight (the job is failing). */
  void cancelAll() {
    for (MessageStream stream : Set.copyOf(live)) {
      stream.cancel();
    }
    live.clear();
  }

  private void attempt(
      long chunk, JsonObject request, int retriesLeft, Promise<ChunkOutcome> done) {
    MessageStream stream = client.stream(request);
    live.add(stream);
    // The failure arrives through message(); these handlers only keep events flowing.
    stream.handler(event -> {}).exceptionHandler(failure -> {}).endHandler(v -> {});
    stream
        .message()
        .onComplete(
            result -> {
              live.remove(stream);
              if (result.succeeded()) {
                String requestId = stream.headers().get("request-id");
                done.complete(ChunkOutcome.answered(chunk, result.result(), requestId));
              } else if (result.cause() instanceof StreamInterruptedException && retriesLeft > 0) {
                attempt(chunk, request, retriesLeft - 1, done);
              } else {
                done.complete(ChunkOutcome.failed(chunk, result.cause()));
              }
            });
    stream.resume();
  }
}
