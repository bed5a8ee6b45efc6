package dev.clauderelay.client;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.StreamEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * The {@link ClaudeClient} calls as Mutiny {@link Uni}s. Lazy: nothing is sent until subscribed;
 * cancelling the subscription abandons the HTTP request.
 */
public final class MutinyClaudeClient {
  private final ClaudeClient client;

  MutinyClaudeClient(ClaudeClient client) {
    this.client = client;
  }

  public Uni<Message> messages(JsonObject request) {
    return messages(request, new CallOptions());
  }

  public Uni<Message> messages(JsonObject request, CallOptions call) {
    return client.messagesUni(request, call);
  }

  public Uni<JsonObject> countTokens(JsonObject request) {
    return countTokens(request, new CallOptions());
  }

  public Uni<JsonObject> countTokens(JsonObject request, CallOptions call) {
    return client.countTokensUni(request, call);
  }

  /** The events of a streamed message; {@code request(n)} reaches the socket. */
  public Multi<StreamEvent> stream(JsonObject request) {
    return stream(request, new CallOptions());
  }

  public Multi<StreamEvent> stream(JsonObject request, CallOptions call) {
    return Multi.createFrom().deferred(() -> client.stream(request, call).toMulti());
  }

  /**
   * Any Anthropic call through the pipeline, answered as it came ({@link ClaudeClient#exchange});
   * cancelling abandons it, e.g. when the client it serves went away.
   */
  public Uni<Exchange> exchange(HttpMethod method, String path, JsonObject body, CallOptions call) {
    return client.exchangeUni(method, path, body, null, call);
  }

  /**
   * As {@link ClaudeClient#exchange(HttpMethod, String, JsonObject, Buffer, CallOptions)}: {@code
   * bytes}, what {@code body} was parsed from, go upstream unchanged.
   */
  public Uni<Exchange> exchange(
      HttpMethod method, String path, JsonObject body, Buffer bytes, CallOptions call) {
    return client.exchangeUni(method, path, body, bytes, call);
  }

  public Uni<JsonObject> models() {
    return models(new CallOptions());
  }

  public Uni<JsonObject> models(CallOptions call) {
    return client.modelsUni(call);
  }
}
