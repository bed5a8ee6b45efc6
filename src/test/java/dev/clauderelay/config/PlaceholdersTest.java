package dev.clauderelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaceholdersTest {
  private static final Map<String, String> ENV = Map.of("A", "x", "B", "y", "EMPTY", "");

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "plain | plain",
        "${A} | x",
        "pre-${A}-post | pre-x-post",
        "${A}${B} | xy",
        "${UNSET:-d} | d",
        "${EMPTY:-d} | d",
        "${EMPTY} | ''",
        "${A:-d} | x",
        "${UNSET:-} | ''",
        "${UNSET:-http://h:1/p} | http://h:1/p",
        "${UNSET:-a:-b} | a:-b",
        "$${A} | ${A}",
        "$A and $ | $A and $",
        "${A}} | x}",
      })
  void expands(String raw, String expected) {
    Placeholders.Expansion e = Placeholders.expand(raw, ENV);
    assertTrue(e.ok(), () -> e.toString());
    assertEquals(expected, e.text());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {"${UNSET} | UNSET", "${A}-${U1}-${U2:-ok}-${U3} | U1,U3"})
  void reportsEveryUnsetVariable(String raw, String unset) {
    Placeholders.Expansion e = Placeholders.expand(raw, ENV);
    assertFalse(e.ok());
    assertEquals(List.of(unset.split(",")), e.unset());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {"'${A'", "'${}'", "'${1A}'", "'${A B}'", "'x ${A:-y'"})
  void reportsMalformedReferences(String raw) {
    Placeholders.Expansion e = Placeholders.expand(raw, ENV);
    assertFalse(e.ok());
    assertNotNull(e.malformed());
  }
}
