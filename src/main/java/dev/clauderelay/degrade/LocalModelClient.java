package dev.clauderelay.degrade;

import dev.clauderelay.api.Message;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.MalformedResponseException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local open-source model behind an OpenAI-compatible {@code /chat/completions} endpoint (Ollama,
 * vLLM, llama.cpp's server): the degradation step after the cache. Anthropic request in, Anthropic
 * {@link Message} or stream events out ({@link AnthropicToOpenAi}, {@link OpenAiToAnthropic},
 * {@link OpenAiStreamTranslator}).
 *
 * <p>One Vert.x {@code HttpClient}, kept for the client's life, with every wait bounded: connect,
 * response headers, a non-streamed body ({@code responseTimeoutMs}), silence in a stream ({@code
 * idleTimeoutMs}). Failures are the relay's exceptions ({@code api.error}): a refused socket is a
 * {@code ConnectionException}, an error status an {@code ApiException}, a request it cannot take
 * {@link LocalModelUnsupportedException}. Nothing here retries: a fallback that fails hands over to
 * the next step at once.
 *
 * <p>Call from a Vert.x context; results arrive on it.
 */
public final class LocalModelClient {
  private final Vertx vertx;
  private final LocalModelOptions options;
  private final HttpClientAgent client;

  public LocalModelClient(Vertx vertx, LocalModelOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setDecompressionSupported(true)
                .setName("claude-relay-local-model"));
  }

  public LocalModelOptions options() {
    return options;
  }

  /** Why {@code request} cannot go to the local model, or empty when it can. */
  public Optional<String> unsupportedReason(JsonObject request) {
    return AnthropicToOpenAi.unsupportedReason(request);
  }

  /** A non-streamed answer. {@code stream} in the request is ignored. */
  public Future<Message> complete(JsonObject anthropicRequest) {
    Optional<String> why = AnthropicToOpenAi.unsupportedReason(anthropicRequest);
    if (why.isPresent()) {
      return Future.failedFuture(new LocalModelUnsupportedException(why.get()));
    }
    JsonObject plain = anthropicRequest.copy().put("stream", false);
    String requestedModel = anthropicRequest.getString("model");
    String url = options.chatCompletionsUrl();
    Promise<Message> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    boolean[] headersReceived = {false};
    long timer =
        vertx.setTimer(
            options.responseTimeoutMs(),
            t ->
                abandon(
                    promise,
                    sent,
                    new ClaudeTimeoutException(
                        headersReceived[0]
                            ? ClaudeTimeoutException.Phase.BODY
                            : ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
                        "local model "
                            + url
                            + " did not answer within "
                            + options.responseTimeoutMs()
                            + " ms")));
    send(
            AnthropicToOpenAi.translate(plain, options.model()),
            "application/json",
            sent,
            promise.future())
        .compose(
            resp -> {
              headersReceived[0] = true;
              return resp.body().map(body -> toMessage(resp, body, requestedModel));
            })
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                promise.tryComplete(ar.result());
              } else {
                promise.tryFail(LocalModelFailures.socket(ar.cause(), url, headersReceived[0]));
              }
            });
    return promise.future();
  }

  /**
   * A streamed answer. Completes when the response headers arrive: with a paused stream for a 2xx
   * event stream, else failed (an error status as {@code ApiException}). Reading, demand and
   * cancelling are the caller's from then on.
   */
  public Future<LocalModelStream> stream(JsonObject anthropicRequest) {
    Optional<String> why = AnthropicToOpenAi.unsupportedReason(anthropicRequest);
    if (why.isPresent()) {
      return Future.failedFuture(new LocalModelUnsupportedException(why.get()));
    }
    JsonObject streamed = anthropicRequest.copy().put("stream", true);
    String requestedModel = anthropicRequest.getString("model");
    String url = options.chatCompletionsUrl();
    Promise<LocalModelStream> promise = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer =
        vertx.setTimer(
            options.responseTimeoutMs(),
            t ->
                abandon(
                    promise,
                    sent,
                    new ClaudeTimeoutException(
                        ClaudeTimeoutException.Phase.RESPONSE_HEADERS,
                        "local model "
                            + url
                            + " sent no response within "
                            + options.responseTimeoutMs()
                            + " ms")));
    send(
            AnthropicToOpenAi.translate(streamed, options.model()),
            "text/event-stream",
            sent,
            promise.future())
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.failed()) {
                promise.tryFail(LocalModelFailures.socket(ar.cause(), url, false));
                return;
              }
              HttpClientResponse resp = ar.result();
              if (resp.statusCode() / 100 != 2) {
                resp.body()
                    .onComplete(
                        body ->
                            promise.tryFail(
                                LocalModelFailures.status(
                                    resp.statusCode(),
                                    resp.headers(),
                                    body.succeeded() ? body.result() : Buffer.buffer())));
                return;
              }
              String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
              if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                sent.get().reset();
                promise.tryFail(
                    new MalformedResponseException(
                        "local model answered a stream request with " + type, null, null));
                return;
              }
              LocalModelStream stream =
                  new LocalModelStream(vertx, sent.get(), resp, requestedModel, options);
              if (!promise.tryComplete(stream)) {
                stream.cancel(); // the caller gave up (timeout) while the headers were on the way
              }
            });
    return promise.future();
  }

  public Future<Void> close() {
    return client.close();
  }

  /**
   * @param outcome the caller's result: when it is already decided (timed out) before the request
   *     object exists, the request is reset instead of sent
   */
  private Future<HttpClientResponse> send(
      JsonObject body, String accept, AtomicReference<HttpClientRequest> sent, Future<?> outcome) {
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(options.chatCompletionsUrl())
            .setConnectTimeout(options.connectTimeoutMs())
            .setFollowRedirects(false)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.ACCEPT, accept);
    if (options.apiKey() != null && !options.apiKey().isEmpty()) {
      ro.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + options.apiKey());
    }
    return client
        .request(ro)
        .compose(
            req -> {
              sent.set(req);
              if (outcome.isComplete()) {
                req.reset();
                return Future.failedFuture(new CancellationException("abandoned"));
              }
              return req.send(body.toBuffer());
            });
  }

  private static Message toMessage(HttpClientResponse resp, Buffer body, String requestedModel) {
    if (resp.statusCode() / 100 != 2) {
      throw LocalModelFailures.status(resp.statusCode(), resp.headers(), body);
    }
    try {
      return OpenAiToAnthropic.message(new JsonObject(body), requestedModel);
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      throw new MalformedResponseException(
          "local model's answer is not a chat completion: " + e.getMessage(), null, e);
    }
  }

  private static <T> void abandon(
      Promise<T> promise, AtomicReference<HttpClientRequest> sent, Throwable why) {
    if (promise.tryFail(why) && sent.get() != null) {
      sent.get().reset(0, why);
    }
  }
}
