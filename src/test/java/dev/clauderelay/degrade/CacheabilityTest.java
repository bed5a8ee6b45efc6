package dev.clauderelay.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheabilityTest {
  @ParameterizedTest(name = "temperature={0} header={1} -> {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "0,     -,     CACHE",
        "0.0,   -,     CACHE",
        "0,     off,   BYPASS",
        "0,     ' OFF ', BYPASS",
        "1,     -,     BYPASS",
        "0.2,   -,     BYPASS",
        "-,     -,     BYPASS", // absent temperature = the API's default 1.0
        "1,     on,    CACHE",
        "-,     On,    CACHE",
        "1,     maybe, BYPASS", // an unknown value is ignored
        "0,     maybe, CACHE",
        "0,     '',    CACHE",
      })
  void decide(String temperature, String header, Cacheability expected) {
    JsonObject request = new JsonObject().put("model", "m").put("max_tokens", 10);
    if (temperature != null) {
      request.put("temperature", Double.valueOf(temperature));
    }
    assertEquals(expected, Cacheability.decide(request, header));
  }
}
