package dev.clauderelay.eventbus;

import dev.clauderelay.api.error.InvalidRequestException;
import dev.clauderelay.client.CallOptions;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.client.MessageStream;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The relay as an event-bus service: {@value Addresses#MESSAGES} (request/reply) and {@value
 * Addresses#STREAM} (credit-based streams), both with JSON bodies only so that the same contract
 * works over a clustered event bus. Every call goes through the given {@link ClaudeClient}, so
 * event-bus callers get the same retries, failover and pacing as everyone else.
 *
 * <p>Failures are {@code message.fail(status, anthropicErrorJson)}: the caller gets a {@code
 * ReplyException} whose {@code failureCode()} is the HTTP-like status and whose {@code
 * getMessage()} is the Anthropic error JSON. The protocol is described in {@code docs/eventbus.md}.
 *
 * <p>It publishes nothing: {@value Addresses#HEALTH} and {@value Addresses#TASKS} belong to the
 * health and degradation components.
 */
public final class ClaudeVerticle extends VerticleBase {
  private final ClaudeClient sharedClient;
  private final ClaudeClientOptions clientOptions;
  private final ClaudeVerticleOptions options;
  private final Map<String, StreamSession> sessions = new HashMap<>();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private ClaudeClient client;
  // Read from any thread by openStreams(); the map itself stays on the verticle's context.
  private volatile int openStreams;

  /** Serves through {@code client}, which the caller owns (it is not closed on undeploy). */
  public ClaudeVerticle(ClaudeClient client) {
    this(client, new ClaudeVerticleOptions());
  }

  public ClaudeVerticle(ClaudeClient client, ClaudeVerticleOptions options) {
    if (client == null) {
      throw new IllegalArgumentException("client must not be null");
    }
    this.sharedClient = client;
    this.clientOptions = null;
    this.options = new ClaudeVerticleOptions(options);
  }

  /**
   * Builds its own client on deploy and closes it on undeploy. With several instances each has its
   * own client (own connection pools and pacing); share one client instead to pace them together.
   */
  public ClaudeVerticle(ClaudeClientOptions clientOptions) {
    this(clientOptions, new ClaudeVerticleOptions());
  }

  public ClaudeVerticle(ClaudeClientOptions clientOptions, ClaudeVerticleOptions options) {
    if (clientOptions == null) {
      throw new IllegalArgumentException("client options must not be null");
    }
    this.sharedClient = null;
    this.clientOptions = new ClaudeClientOptions(clientOptions);
    this.options = new ClaudeVerticleOptions(options);
  }

  @Override
  public Future<?> start() {
    client = sharedClient != null ? sharedClient : ClaudeClient.create(vertx, clientOptions);
    EventBus bus = vertx.eventBus();
    consumers.add(bus.consumer(Addresses.MESSAGES, this::onMessages));
    consumers.add(bus.consumer(Addresses.STREAM, this::onStream));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    new ArrayList<>(sessions.values()).forEach(StreamSession::stopByService);
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    consumers.clear();
    if (sharedClient == null && client != null) {
      done.add(client.close());
    }
    return Future.join(done);
  }

  /** Streams currently open on this instance (for tests and status pages). */
  public int openStreams() {
    return openStreams;
  }

  private void onMessages(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject request)) {
      reject(msg, ErrorReplies.invalid("the body must be a JSON object (the Anthropic request)"));
      return;
    }
    CallOptions call;
    try {
      call = CallHeaders.read(msg.headers());
    } catch (InvalidRequestException bad) {
      reject(msg, ErrorReplies.of(bad));
      return;
    }
    client
        .messages(request, call)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                msg.reply(ar.result().toJson());
              } else {
                reject(msg, ErrorReplies.of(ar.cause()));
              }
            });
  }

  private void onStream(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject open)) {
      reject(
          msg, ErrorReplies.invalid("the body must be a JSON object {request, replyTo, credits}"));
      return;
    }
    if (!(open.getValue(StreamProtocol.REQUEST) instanceof JsonObject request)) {
      reject(msg, ErrorReplies.invalid("request: the Anthropic request object is required"));
      return;
    }
    if (!(open.getValue(StreamProtocol.REPLY_TO) instanceof String replyTo) || replyTo.isBlank()) {
      reject(msg, ErrorReplies.invalid("replyTo: the consumer's address is required"));
      return;
    }
    long credits;
    CallOptions call;
    try {
      credits = StreamProtocol.credits(open, 0);
      call = CallHeaders.read(msg.headers());
    } catch (InvalidRequestException bad) {
      reject(msg, ErrorReplies.of(bad));
      return;
    }
    MessageStream stream = client.stream(request, call);
    if (stream.message().failed()) {
      // Refused before anything went upstream (e.g. no max_tokens): fail the open itself.
      reject(msg, ErrorReplies.of(stream.message().cause()));
      return;
    }
    String id = UUID.randomUUID().toString();
    StreamSession session =
        new StreamSession(vertx, id, replyTo, stream, options, s -> forget(s.id()));
    sessions.put(id, session);
    openStreams = sessions.size();
    session
        .register()
        .onSuccess(
            v -> {
              msg.reply(
                  new JsonObject()
                      .put(StreamProtocol.ID, id)
                      .put(StreamProtocol.CONTROL, session.controlAddress()));
              session.start(credits);
            })
        .onFailure(
            t -> {
              forget(id);
              stream.cancel();
              reject(msg, ErrorReplies.of(t));
            });
  }

  private void forget(String id) {
    sessions.remove(id);
    openStreams = sessions.size();
  }

  private static void reject(Message<?> msg, ErrorReplies.Reply reply) {
    msg.fail(reply.status(), reply.body().encode());
  }
}
