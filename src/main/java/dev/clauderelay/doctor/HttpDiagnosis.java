package dev.clauderelay.doctor;

import dev.clauderelay.api.ErrorBody;
import dev.clauderelay.api.UpstreamResponse;
import dev.clauderelay.api.error.ClaudeTimeoutException;
import dev.clauderelay.api.error.ConnectionException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What the answer to {@code GET /v1/models} says about the key, the path and the provider. Pure.
 * Every line quotes the {@code request-id}, or says that none came (then the API did not answer: a
 * proxy, a captive portal or another server did).
 */
final class HttpDiagnosis {
  private HttpDiagnosis() {}

  /**
   * @param url the URL requested, for the messages
   * @param key the key's fingerprint
   * @param nowMs epoch ms when the answer arrived, for rate-limit reset times
   */
  static CheckResult of(UpstreamResponse resp, String url, String key, long nowMs) {
    int status = resp.status();
    Map<String, String> headers = resp.headerMap();
    ErrorBody error = status >= 300 ? ErrorBody.parse(resp.body()) : null;
    String requestId = headers.get("request-id");
    if (requestId == null && error != null) {
      requestId = error.requestId();
    }
    String rid = requestId == null ? "no request-id" : "request-id " + requestId;
    String said = error == null ? "" : said(error);
    String head = "GET " + url + " → " + status;
    CheckResult result =
        status >= 200 && status < 300
            ? success(resp, head, rid)
            : switch (status) {
              case 401 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " authentication_error (" + rid + ")",
                      "the key " + key + " is invalid or revoked" + said,
                      "create a new key at console.anthropic.com (Settings, API keys) and set it"
                          + " in ANTHROPIC_API_KEY or the region's apiKeys; check that the whole"
                          + " key was copied");
              case 402 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " billing_error (" + rid + ")",
                      "the organisation has a billing problem" + said,
                      "add credits or a payment method at console.anthropic.com (Settings,"
                          + " Billing)");
              case 403 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " permission_error (" + rid + ")",
                      (requestId == null
                              ? "refused by something other than the API (no request-id): a"
                                  + " proxy or firewall block page, or a region restriction"
                              : "the key "
                                  + key
                                  + " lacks permission for this API, or access"
                                  + " from this country or region is not allowed")
                          + said,
                      "check the key's workspace and permissions in the console, and whether"
                          + " your location is supported; a proxy's block page needs its"
                          + " administrators");
              case 404 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " not_found_error (" + rid + ")",
                      "nothing is served at " + url + ": the base URL's path is wrong" + said,
                      "set baseUrl to the API root (https://api.anthropic.com, no /v1), or, for a"
                          + " gateway, the prefix under which it serves /v1/models");
              case 407 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " Proxy Authentication Required (" + rid + ")",
                      "a proxy wants credentials",
                      "put them in the proxy URL: http://user:password@host:port");
              case 429 -> rateLimited(head, rid, error, headers, nowMs);
              case 529 ->
                  CheckResult.fail(
                      CheckId.HTTP,
                      head + " overloaded_error (" + rid + ")",
                      "the provider is overloaded (provider side, not your setup)" + said,
                      "nothing to fix here: the relay retries and fails over to other regions;"
                          + " see status.anthropic.com");
              default -> other(status, head, rid, said, headers);
            };
    return result.with("status", status).with("requestId", requestId).with("url", url);
  }

  private static CheckResult success(UpstreamResponse resp, String head, String rid) {
    JsonArray data = null;
    try {
      Object parsed = resp.body() == null ? null : new JsonObject(resp.body()).getValue("data");
      data = parsed instanceof JsonArray a ? a : null;
    } catch (DecodeException | ClassCastException notJson) {
      // Handled below: a 2xx that is not a model list.
    }
    if (data == null) {
      String type = resp.headers().get("content-type");
      return CheckResult.fail(
          CheckId.HTTP,
          head + ", but not a model list (" + rid + ", content-type " + type + ")",
          "something other than an Anthropic-compatible API answered: a captive portal, a"
              + " proxy's page, or a base URL that points at another service",
          "open the URL in a browser from this machine, and check baseUrl");
    }
    return CheckResult.pass(
            CheckId.HTTP,
            head + ", key accepted, " + data.size() + " model(s) listed (" + rid + ")")
        .with("models", data.size());
  }

  private static CheckResult rateLimited(
      String head, String rid, ErrorBody error, Map<String, String> headers, long nowMs) {
    if (error != null && "enforced_spend_limit_reached".equals(error.errorCode())) {
      return CheckResult.fail(
          CheckId.HTTP,
          head + " spend limit reached (" + rid + ")",
          "the organisation's monthly spend limit is used up" + said(error),
          "raise the spend limit at console.anthropic.com (Settings, Limits); waiting does not"
              + " help before the month ends");
    }
    String reset = RateLimitHeadroom.resetText(headers, nowMs);
    return CheckResult.fail(
            CheckId.HTTP,
            head + " rate_limit_error (" + rid + ")",
            "this key is rate limited" + (reset == null ? "" : "; " + reset) + said(error),
            "wait for the reset; lower rateLimit.requestsPerMinute, add keys to the region's pool,"
                + " or ask Anthropic for higher limits")
        .with("reset", reset);
  }

  private static CheckResult other(
      int status, String head, String rid, String said, Map<String, String> headers) {
    if (status >= 500) {
      return CheckResult.fail(
          CheckId.HTTP,
          head + " server error (" + rid + ")",
          "the provider (or a gateway in front of it) failed: provider side, not your setup" + said,
          "nothing to fix here: the relay retries and fails over; see status.anthropic.com, or"
              + " the gateway's logs for a self-hosted one");
    }
    if (status >= 300 && status < 400) {
      String location = headers.get("location");
      return CheckResult.fail(
          CheckId.HTTP,
          head + " redirect" + (location == null ? "" : " to " + location) + " (" + rid + ")",
          "the relay does not follow redirects (they would drop the key or change the method)",
          "set baseUrl to where it redirects"
              + (location == null ? "" : " (the root of " + location + ")"));
    }
    if (status == 400) {
      return CheckResult.fail(
          CheckId.HTTP,
          head + " invalid_request_error (" + rid + ")",
          "the API refused the request itself" + said,
          "check anthropic-version and anthropic-beta, and that baseUrl is an Anthropic-compatible"
              + " API");
    }
    return CheckResult.fail(
        CheckId.HTTP,
        head + " (" + rid + ")",
        "an unexpected answer" + said,
        "check baseUrl, and the status of the service");
  }

  /** The HTTP layer failed without an answer. */
  static CheckResult failed(Throwable failure, String url, long timeoutMs) {
    String error = NetworkAdvice.describe(failure);
    if (failure instanceof ClaudeTimeoutException t) {
      return CheckResult.fail(
              CheckId.HTTP,
              "GET " + url + ": no answer within " + timeoutMs + " ms",
              t.phase() == ClaudeTimeoutException.Phase.BODY
                  ? "the answer started, then stalled"
                  : "connected, but the server (or a proxy holding the request) never answered",
              "check the upstream's status; a proxy that holds requests needs its"
                  + " administrators")
          .with("phase", t.phase().name());
    }
    if (failure instanceof ConnectionException c) {
      return CheckResult.fail(
              CheckId.HTTP,
              "GET " + url + " failed: " + c.kind().name().toLowerCase(java.util.Locale.ROOT),
              error,
              c.kind() == ConnectionException.Kind.CLOSED
                  ? "the connection was closed before an answer: a proxy or firewall that cuts"
                      + " requests, or an overloaded server"
                  : "see the DNS, TCP and TLS lines above; they passed, so this is intermittent")
          .with("kind", c.kind().name());
    }
    return CheckResult.fail(
        CheckId.HTTP, "GET " + url + " failed", error, "check the network and the base URL");
  }

  private static String said(ErrorBody error) {
    if (error == null) {
      return "";
    }
    if (error.message() != null) {
      return "; the server said: "
          + (error.type() == null ? "" : error.type() + ": ")
          + clip(error.message());
    }
    if (error.raw() != null && !error.raw().isBlank()) {
      return "; the body was: " + clip(error.raw().strip());
    }
    return "";
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }
}
