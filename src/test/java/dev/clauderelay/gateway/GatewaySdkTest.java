package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.models.ModelInfo;
import dev.clauderelay.sim.FaultProfile;
import dev.clauderelay.sim.RecordedRequest;
import dev.clauderelay.sim.ScriptedResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK as the gateway's client: base URL = gateway, API key = gateway token. SDK
 * calls block, so they run on the test thread, never on an event loop.
 */
class GatewaySdkTest {
  private GatewayHarness h;

  @BeforeEach
  void start() {
    h = GatewayHarness.start(GatewayHarness.options(), o -> o.setMaxRetries(1));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static MessageCreateParams params(String text) {
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-6")
        .maxTokens(24)
        .addUserMessage(text)
        .build();
  }

  private static String text(Message m) {
    return m.content().stream()
        .filter(ContentBlock::isText)
        .map(b -> b.asText().text())
        .collect(Collectors.joining());
  }

  @Test
  void createsAMessage() {
    Message m = h.sdk().messages().create(params("Hello through the relay"));

    assertFalse(text(m).isBlank());
    assertTrue(m.usage().outputTokens() > 0);
    RecordedRequest upstream = h.sim.lastRequest();
    assertEquals("/v1/messages", upstream.path());
    assertEquals(GatewayHarness.REGION_KEY, upstream.header("x-api-key"), "the region's key");
  }

  @Test
  void streamsToTheFinalMessageWithTheSdkAccumulator() {
    AnthropicClient sdk = h.sdk();
    Message whole = sdk.messages().create(params("Stream me"));

    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        sdk.messages().createStreaming(params("Stream me"))) {
      stream.stream().forEach(acc::accumulate);
    }
    Message streamed = acc.message();

    assertEquals(text(whole), text(streamed), "the simulator's text is a function of the body");
    assertEquals(whole.stopReason(), streamed.stopReason());
    assertEquals(whole.usage().outputTokens(), streamed.usage().outputTokens());
  }

  @Test
  void countsTokens() {
    long tokens =
        h.sdk()
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model("claude-sonnet-4-6")
                    .addUserMessage("How many tokens is this?")
                    .build())
            .inputTokens();

    assertTrue(tokens > 0);
    assertEquals("/v1/messages/count_tokens", h.sim.lastRequest().path());
  }

  @Test
  void listsModels() {
    List<ModelInfo> models = h.sdk().models().list().data();

    assertFalse(models.isEmpty());
    assertEquals("/v1/models", h.sim.lastRequest().path());
  }

  @Test
  void anUpstream404ReachesTheSdkAsNotFoundException() {
    h.sim.enqueue(ScriptedResponse.error(404, "not_found_error", "model: claude-nonexistent"));

    NotFoundException e =
        assertThrows(NotFoundException.class, () -> h.sdk().messages().create(params("x")));

    assertEquals(404, e.statusCode());
    assertEquals("model: claude-nonexistent", e.apiMessage().orElse(null));
    assertEquals(h.sim.lastRequest().requestId(), e.requestId().orElse(null));
    assertEquals(1, h.sim.requestCount(), "a 404 is not retried");
  }

  @Test
  void an529AfterTheRelaysRetriesReachesTheSdkAsOverloadedException() {
    h.sim.setProfile(FaultProfile.OVERLOADED);

    OverloadedException e =
        assertThrows(OverloadedException.class, () -> h.sdk().messages().create(params("x")));

    assertEquals(529, e.statusCode());
    assertEquals(2, h.sim.requestCount("/v1/messages"), "the relay retried once (maxRetries 1)");
    assertEquals("2", e.headers().values("x-relay-attempts").get(0));
  }

  @Test
  void aStreamThatIsOverloadedBeforeContentReachesTheSdkAsOverloadedException() {
    h.sim.setProfile(FaultProfile.OVERLOADED);

    assertThrows(
        OverloadedException.class,
        () -> {
          try (StreamResponse<RawMessageStreamEvent> stream =
              h.sdk().messages().createStreaming(params("x"))) {
            stream.stream().forEach(e -> {});
          }
        });
  }

  @Test
  void theSdksCredentialStaysAtTheGatewayAndItsAnthropicHeadersGoOn() {
    AnthropicClient bearer = h.sdk(b -> b.authToken(GatewayHarness.SECOND_TOKEN));
    bearer
        .messages()
        .create(
            params("hi").toBuilder()
                .putAdditionalHeader("anthropic-beta", "relay-test-2026-01-01")
                .build());

    RecordedRequest upstream = h.sim.lastRequest();
    assertEquals(GatewayHarness.REGION_KEY, upstream.header("x-api-key"));
    assertNull(upstream.header("authorization"));
    assertEquals("relay-test-2026-01-01", upstream.header("anthropic-beta"));
    assertTrue(upstream.header("anthropic-version") != null);
    for (var header : upstream.headers().entrySet()) {
      for (String value : header.getValue()) {
        assertFalse(value.contains(GatewayHarness.SECOND_TOKEN), header.getKey() + " leaks");
        assertNotEquals("Bearer " + GatewayHarness.SECOND_TOKEN, value);
      }
    }
  }

  @Test
  void aWrongTokenIsUnauthorizedInTheSdk() {
    AnthropicClient wrong = h.sdk(b -> b.apiKey("not-a-gateway-token"));

    UnauthorizedException e =
        assertThrows(UnauthorizedException.class, () -> wrong.messages().create(params("x")));

    assertEquals("authentication_error", e.type().map(t -> t.asString()).orElse(null));
    assertEquals(0, h.sim.requestCount());
  }
}
