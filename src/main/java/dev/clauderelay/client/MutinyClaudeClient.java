package dev.clauderelay.client;

import dev.clauderelay.api.Message;
import io.smallrye.mutiny.Uni;
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

  public Uni<JsonObject> models() {
    return models(new CallOptions());
  }

  public Uni<JsonObject> models(CallOptions call) {
    return client.modelsUni(call);
  }
}
