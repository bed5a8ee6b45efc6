package dev.clauderelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the progress line and bar say, known total or estimated. */
class ProgressSnapshotTest {

  @Test
  void aKnownTotalGivesCountsPercentRateAndEta() {
    // 120 of 250 done, 20 of them before this run, in 50 s: 2 chunks/s, 130 left: 65 s.
    ProgressSnapshot s = new ProgressSnapshot(120, 20, 250, 250, 1.0, 1, 45_100, 12_000, 50_000);
    assertEquals(
        "batch: 120/250 chunks (48%), 1 failed, tokens 45.1k in / 12.0k out, 2.0 chunks/s,"
            + " ETA 1:05",
        s.line());
  }

  @Test
  void anUnknownTotalIsEstimatedFromTheInputRead() {
    // 40 chunks read from a quarter of the input: about 160 in all.
    ProgressSnapshot s = new ProgressSnapshot(30, 0, -1, 40, 0.25, 0, 10, 20, 10_000);
    assertEquals(160, s.expectedTotal());
    assertTrue(
        s.line().startsWith("batch: 30/~160 chunks (~18%), tokens 10 in / 20 out"), s.line());
  }

  @Test
  void nothingReadYetShowsOnlyTheCount() {
    ProgressSnapshot s = new ProgressSnapshot(0, 0, -1, 0, 0, 0, 0, 0, 0);
    assertEquals("batch: 0 chunks, tokens 0 in / 0 out, 0.0 chunks/s", s.line());
  }

  @Test
  void theBarRedrawsInPlace() {
    ProgressSnapshot s = new ProgressSnapshot(50, 0, 100, 100, 1.0, 0, 0, 0, 10_000);
    String bar = s.bar();
    assertTrue(bar.startsWith("\r[############............] 50/100 chunks (50%)"), bar);
    assertTrue(bar.length() >= 101, "padded to cover a longer previous bar");
    assertEquals("1:01:01", ProgressSnapshot.duration(3661));
    assertEquals("2.5M", ProgressSnapshot.compact(2_500_000));
  }
}
