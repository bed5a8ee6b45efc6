package dev.clauderelay.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code simulate} command's argument handling (starting it for real is left to the demo). */
class SimulateCliTest {

  @Test
  void unknownProfileIsAUsageErrorNamingTheAllowedOnes() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err));
    assertEquals(2, commandLine.execute("simulate", "--profile", "chaos"));
    assertTrue(
        err.toString().contains("healthy, flaky, overloaded, ratelimited, midstream-cut, stall"),
        err.toString());
  }

  @Test
  void outOfRangeValuesAreUsageErrors() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err));
    assertEquals(2, commandLine.execute("simulate", "--port", "70000"));
    assertTrue(err.toString().contains("port"), err.toString());
  }

  @Test
  void helpListsTheOptionsAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute("simulate", "--help"));
    for (String option :
        new String[] {"--port", "--host", "--profile", "--seed", "--latency-ms", "--rpm"}) {
      assertTrue(out.toString().contains(option), option);
    }
    assertTrue(out.toString().contains("midstream-cut"));
  }

  @Test
  void serveIsTheDefaultCommand() {
    assertTrue(
        Main.commandLine().getUsageMessage().contains("serve"), "serve is listed as a command");
  }
}
