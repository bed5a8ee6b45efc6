package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text layout: one section per region, one line per check, cause and fix under failures. */
class TextReportTest {
  private static final DoctorReport REPORT =
      new DoctorReport(
          "conf/config.yaml",
          List.of(
              new RegionReport(
                  "main",
                  "https://api.anthropic.com",
                  List.of(
                      CheckResult.pass(CheckId.API_KEY, "sk-ant-…abcd (apiKeys[0])"),
                      CheckResult.warn(CheckId.CLOCK, "6.0 s ahead", "clock off", "use NTP"),
                      CheckResult.fail(CheckId.DNS, "x.invalid does not resolve", "why", "how"),
                      CheckResult.skip(CheckId.TCP, "skipped: DNS failed")))));

  @Test
  void unicode() {
    assertEquals(
        "claude-relay doctor: configuration conf/config.yaml\n"
            + "\n"
            + "region main (https://api.anthropic.com)\n"
            + "  ✓ API key           sk-ant-…abcd (apiKeys[0])\n"
            + "  ! clock skew        6.0 s ahead\n"
            + "      cause: clock off\n"
            + "      fix:   use NTP\n"
            + "  ✗ DNS               x.invalid does not resolve\n"
            + "      cause: why\n"
            + "      fix:   how\n"
            + "  – TCP               skipped: DNS failed\n"
            + "\n"
            + "result: 1 of 1 region failed (main: DNS) (exit 1)\n",
        TextReport.render(REPORT, false));
  }

  @Test
  void ascii() {
    String text = TextReport.render(REPORT, true);
    assertEquals(
        List.of(
            "  ok   API key           sk-ant-...abcd (apiKeys[0])",
            "  warn clock skew        6.0 s ahead",
            "  FAIL DNS               x.invalid does not resolve",
            "  skip TCP               skipped: DNS failed"),
        text.lines().filter(l -> l.startsWith("  ") && !l.startsWith("      ")).toList());
    assertEquals(true, text.chars().allMatch(c -> c < 128));
  }

  @Test
  void allPassed() {
    DoctorReport ok =
        new DoctorReport(
            "x",
            List.of(
                new RegionReport("a", "u", List.of(CheckResult.pass(CheckId.HTTP, "fine"))),
                new RegionReport("b", "u", List.of(CheckResult.pass(CheckId.HTTP, "fine")))));
    assertEquals("result: all 2 regions passed (exit 0)", TextReport.verdict(ok));
    assertEquals(0, ok.exitCode());
  }
}
