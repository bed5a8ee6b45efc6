package dev.clauderelay.doctor;

import java.util.List;

/**
 * The human form of a {@link DoctorReport}: one section per region, one line per check with ✓, !, ✗
 * or –, and under each failure or warning its cause and fix. Pure.
 */
public final class TextReport {
  private static final int TITLE_WIDTH = 18;
  private static final String INDENT = "      ";

  private TextReport() {}

  /**
   * @param ascii plain ASCII (words instead of symbols) for terminals whose charset cannot show ✓
   */
  public static String render(DoctorReport report, boolean ascii) {
    StringBuilder out = new StringBuilder();
    out.append("claude-relay doctor: configuration ").append(report.configSource()).append('\n');
    for (RegionReport region : report.regions()) {
      out.append('\n')
          .append("region ")
          .append(region.name())
          .append(" (")
          .append(region.baseUrl())
          .append(")\n");
      for (CheckResult check : region.checks()) {
        line(out, check, ascii);
      }
    }
    out.append('\n').append(verdict(report)).append('\n');
    String text = out.toString();
    return ascii ? toAscii(text) : text;
  }

  private static void line(StringBuilder out, CheckResult check, boolean ascii) {
    String mark = ascii ? pad(check.status().ascii(), 5) : check.status().symbol() + " ";
    out.append("  ")
        .append(mark)
        .append(pad(check.id().title(), TITLE_WIDTH))
        .append(check.summary())
        .append('\n');
    if (check.cause() != null) {
      out.append(INDENT).append("cause: ").append(check.cause()).append('\n');
    }
    if (check.fix() != null) {
      out.append(INDENT).append("fix:   ").append(check.fix()).append('\n');
    }
  }

  static String verdict(DoctorReport report) {
    List<RegionReport> failed = report.regions().stream().filter(r -> !r.passed()).toList();
    int total = report.regions().size();
    if (failed.isEmpty()) {
      return "result: "
          + (total == 1 ? "the region passed" : "all " + total + " regions passed")
          + " (exit 0)";
    }
    StringBuilder names = new StringBuilder();
    for (RegionReport r : failed) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(r.name()).append(": ").append(r.firstFailure().id().title());
    }
    return "result: "
        + failed.size()
        + " of "
        + total
        + (total == 1 ? " region" : " regions")
        + " failed ("
        + names
        + ") (exit 1)";
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  private static String toAscii(String text) {
    return text.replace("…", "...").replace("→", "->").replace("—", "-").replace("–", "-");
  }
}
