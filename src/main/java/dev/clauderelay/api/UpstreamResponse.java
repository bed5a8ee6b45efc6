package dev.clauderelay.api;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A complete upstream answer: status, headers, whole body. */
public record UpstreamResponse(int status, MultiMap headers, Buffer body) {

  public String requestId() {
    return headers.get("request-id");
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** Headers as a plain map with lower-case names (first value wins), for exceptions and logs. */
  public Map<String, String> headerMap() {
    return toMap(headers);
  }

  public static Map<String, String> toMap(MultiMap headers) {
    Map<String, String> map = new HashMap<>();
    for (Map.Entry<String, String> e : headers) {
      map.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return map;
  }
}
