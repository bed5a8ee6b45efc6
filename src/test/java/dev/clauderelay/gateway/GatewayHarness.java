package dev.clauderelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.clauderelay.client.ClaudeClient;
import dev.clauderelay.client.ClaudeClientOptions;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import dev.clauderelay.testing.BlockedThreadWatch;
import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A gateway on an ephemeral port over a {@link SimulatedAnthropic} (or any upstream URL), on a
 * watched Vert.x: {@link #close()} fails the test when an event loop was blocked.
 */
final class GatewayHarness implements AutoCloseable {
  static final String TOKEN = "gw-test-token-8c1f5a7e2b93";
  static final String SECOND_TOKEN = "gw-second-token-77a0c1d9e4";
  static final String REGION_KEY = FakeKeys.SK_ANT + "api03-FAKE-region-test-key-4d2e9b1c";

  /** Longest event-loop turn tolerated, milliseconds: as in the other packages' tests. */
  static final long WATCH_MS = 200;

  final BlockedThreadWatch watch;
  final Vertx vertx;
  final SimulatedAnthropic sim;
  final ClaudeClient client;
  final GatewayVerticle gateway;
  private final HttpClient http;
  private final List<AnthropicClient> sdks = new ArrayList<>();
  private final String deployment;

  private GatewayHarness(
      Function<Vertx, String> upstream,
      GatewayOptions gatewayOptions,
      Consumer<ClaudeClientOptions> clientTweak,
      Supplier<String> scrape,
      long watchMs) {
    GatewayWarmup.once();
    watch = new BlockedThreadWatch(watchMs);
    vertx = watch.vertx();
    sim =
        upstream == null
            ? Await.result(SimulatedAnthropic.start(vertx, new SimOptions().setPort(0)))
            : null;
    String upstreamUrl = upstream == null ? sim.baseUrl() : upstream.apply(vertx);
    ClaudeClientOptions options =
        new ClaudeClientOptions()
            .setBaseUrl(upstreamUrl)
            .setApiKey(REGION_KEY)
            .setInitialBackoffMs(1)
            .setMaxBackoffMs(5);
    clientTweak.accept(options);
    client = ClaudeClient.create(vertx, options);
    gateway = new GatewayVerticle(client, gatewayOptions, regions(client), scrape);
    deployment = Await.result(vertx.deployVerticle(gateway));
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Readiness and /status over the client's own regions, as {@code serve} wires them. */
  static RegionStatus regions(ClaudeClient client) {
    var table = client.engine().regions();
    return RegionStatus.of(table::anyUsable, table::snapshot);
  }

  /** Over a simulator, with the tokens {@link #TOKEN} and {@link #SECOND_TOKEN}. */
  static GatewayHarness start() {
    return start(options(), o -> {});
  }

  static GatewayHarness start(GatewayOptions options, Consumer<ClaudeClientOptions> clientTweak) {
    return start(options, clientTweak, WATCH_MS);
  }

  /**
   * @param watchMs longest event-loop turn tolerated, milliseconds
   */
  static GatewayHarness start(
      GatewayOptions options, Consumer<ClaudeClientOptions> clientTweak, long watchMs) {
    return new GatewayHarness(null, options, clientTweak, null, watchMs);
  }

  static GatewayHarness withMetrics(GatewayOptions options) {
    GatewayHarness[] self = new GatewayHarness[1];
    GatewayHarness h =
        new GatewayHarness(
            null, options, o -> {}, () -> self[0].client.metrics().scrape(), WATCH_MS);
    self[0] = h;
    return h;
  }

  /** Over another upstream: a test server started on the harness's Vert.x, returning its URL. */
  static GatewayHarness over(
      Function<Vertx, String> upstream,
      GatewayOptions options,
      Consumer<ClaudeClientOptions> clientTweak) {
    return over(upstream, options, clientTweak, WATCH_MS);
  }

  /**
   * @param watchMs longest event-loop turn tolerated, milliseconds
   */
  static GatewayHarness over(
      Function<Vertx, String> upstream,
      GatewayOptions options,
      Consumer<ClaudeClientOptions> clientTweak,
      long watchMs) {
    return new GatewayHarness(upstream, options, clientTweak, null, watchMs);
  }

  static GatewayOptions options() {
    return new GatewayOptions().setPort(0).setTokens(List.of(TOKEN, SECOND_TOKEN));
  }

  int port() {
    return gateway.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The official SDK pointed at the gateway, without its own retries. */
  AnthropicClient sdk() {
    return sdk(b -> b.apiKey(TOKEN));
  }

  AnthropicClient sdk(Consumer<AnthropicOkHttpClient.Builder> auth) {
    AnthropicOkHttpClient.Builder builder =
        AnthropicOkHttpClient.builder().baseUrl(url()).maxRetries(0);
    auth.accept(builder);
    AnthropicClient sdk = builder.build();
    sdks.add(sdk);
    return sdk;
  }

  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String header(String name) {
      return headers.get(name);
    }

    /** {@code error.type} of an Anthropic error body. */
    String errorType() {
      return json().getJsonObject("error").getString("type");
    }
  }

  Reply call(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    RequestOptions ro = new RequestOptions().setMethod(method).setPort(port()).setURI(path);
    headers.forEach(ro::addHeader);
    return Await.result(
        http.request(ro)
            .compose(req -> body == null ? req.send() : req.send(body))
            .compose(
                resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))));
  }

  Reply post(String path, JsonObject body) {
    return call(
        HttpMethod.POST,
        path,
        Map.of("x-api-key", TOKEN, "content-type", "application/json"),
        body.toBuffer());
  }

  Reply get(String path) {
    return call(HttpMethod.GET, path, Map.of("x-api-key", TOKEN), null);
  }

  static JsonObject message(String text) {
    return new JsonObject()
        .put("model", "claude-sonnet-4-6")
        .put("max_tokens", 32)
        .put(
            "messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  @Override
  public void close() {
    try {
      sdks.forEach(AnthropicClient::close);
      Await.result(http.close());
      Await.result(vertx.undeploy(deployment));
      Await.result(client.close());
      if (sim != null) {
        Await.result(sim.close());
      }
      List<String> blocked = watch.warnings();
      assertEquals(List.of(), blocked, "an event loop was blocked");
    } finally {
      watch.close();
    }
  }
}
