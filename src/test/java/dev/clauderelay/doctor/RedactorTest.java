package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clauderelay.testing.FakeKeys;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
  private final Redactor redactor = new Redactor(List.of("gateway-secret-123", "short"));

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "token gateway-secret-123 echoed            | token …-123 echoed",
        "key " + FakeKeys.SK_ANT + "api03-FAKEFAKEtestonly0123 seen | key sk-ant-…0123 seen",
        "short words stay                           | short words stay",
        "sk-ant-…abcd is already a fingerprint      | sk-ant-…abcd is already a fingerprint",
      })
  void replacesSecretsWithFingerprints(String text, String expected) {
    assertEquals(expected, redactor.apply(text));
  }
}
