package dev.clauderelay.doctor;

import static dev.clauderelay.doctor.DoctorRun.KEY;
import static dev.clauderelay.doctor.DoctorRun.KEY_BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clauderelay.cli.Main;
import dev.clauderelay.sim.SimOptions;
import dev.clauderelay.sim.SimulatedAnthropic;
import dev.clauderelay.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes, both output formats, region selection, and no key in any output. */
class DoctorCommandTest {
  private static Vertx vertx;
  private static SimulatedAnthropic sim;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    DoctorWarmup.once();
    vertx = Vertx.vertx();
    sim = Await.result(SimulatedAnthropic.start(vertx, new SimOptions()));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  /** Two regions: a healthy one and one whose host never resolves. */
  private Path twoRegions() {
    return DoctorRun.write(
        dir,
        "regions:\n"
            + "  - name: good\n"
            + "    baseUrl: "
            + sim.baseUrl()
            + "\n"
            + "    apiKeys: [\""
            + KEY
            + "\"]\n"
            + "  - name: gone\n"
            + "    baseUrl: https://api.example.invalid\n"
            + "    apiKeys: [\""
            + KEY
            + "\"]\n");
  }

  @Test
  void textHasASectionPerRegionAndALinePerCheckWithCauseAndFix() {
    DoctorRun.Outcome o =
        DoctorRun.run(Map.of(), "--config", twoRegions().toString(), "--timeout-ms", "5000");
    assertEquals(1, o.exit(), o.all());
    String out = o.out();
    assertTrue(out.contains("region good (" + sim.baseUrl() + ")"), out);
    assertTrue(out.contains("region gone (https://api.example.invalid)"), out);
    assertTrue(out.indexOf("region good") < out.indexOf("region gone"), "configuration order");
    for (CheckId id : CheckId.values()) {
      assertTrue(out.contains(id.title()), id.title());
    }
    assertTrue(out.contains("cause: resolver error"), out);
    assertTrue(out.contains("fix:   .invalid names never resolve"), out);
    assertTrue(out.contains("result: 1 of 2 regions failed (gone: DNS) (exit 1)"), out);
    assertFalse(o.all().contains(KEY_BODY), o.all());
  }

  @Test
  void jsonIsOneDocumentWithTheSameContent() {
    DoctorRun.Outcome o =
        DoctorRun.json(Map.of(), "--config", twoRegions().toString(), "--timeout-ms", "5000");
    assertEquals(1, o.exit());
    JsonObject doc = o.json();
    assertFalse(doc.getBoolean("ok"));
    JsonArray regions = doc.getJsonArray("regions");
    assertEquals(2, regions.size());
    assertTrue(regions.getJsonObject(0).getBoolean("ok"), o.out());
    assertEquals("dns", regions.getJsonObject(1).getString("failedCheck"));
    assertEquals(CheckId.values().length, regions.getJsonObject(0).getJsonArray("checks").size());
    assertFalse(o.out().contains(KEY_BODY), o.out());
    assertTrue(o.out().chars().allMatch(c -> c < 128), "escaped to ASCII");
  }

  @Test
  void regionSelectsOneAndAnUnknownOneIsExitTwo() {
    String config = twoRegions().toString();
    DoctorRun.Outcome good =
        DoctorRun.json(Map.of(), "--config", config, "--region", "good", "--timeout-ms", "5000");
    assertEquals(0, good.exit(), good.all());
    assertEquals(1, good.json().getJsonArray("regions").size());

    DoctorRun.Outcome unknown = DoctorRun.run(Map.of(), "--config", config, "--region", "nope");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("no region named nope; configured: good, gone"));
  }

  @Test
  void anUnreadableConfigurationIsExitTwoInBothFormats() {
    String missing = dir.resolve("missing.yaml").toString();
    DoctorRun.Outcome text = DoctorRun.run(Map.of(), "--config", missing);
    assertEquals(2, text.exit());
    assertTrue(text.err().contains("cannot use the configuration"), text.err());
    assertTrue(text.err().contains("file not found"), text.err());

    DoctorRun.Outcome json = DoctorRun.json(Map.of(), "--config", missing);
    assertEquals(2, json.exit());
    assertTrue(json.json().getJsonArray("configProblems").getString(0).contains("not found"));
  }

  @Test
  void anInvalidConfigurationIsExitTwoAndShowsNoKey() {
    Path config =
        DoctorRun.write(
            dir,
            "regions:\n  - name: x\n    baseUrl: https://api.anthropic.com/v1\n"
                + "    apiKeys: [\""
                + KEY
                + "\"]\nretry: { maxRetriez: 3 }\n");
    DoctorRun.Outcome o = DoctorRun.run(Map.of(), "--config", config.toString());
    assertEquals(2, o.exit(), o.all());
    assertTrue(o.err().contains("without /v1"), o.err());
    assertTrue(o.err().contains("maxRetriez"), o.err());
    assertFalse(o.all().contains(KEY_BODY), o.all());
  }

  @Test
  void aRegionWithoutAKeyFailsAtTheFirstCheck() {
    Path config =
        DoctorRun.write(dir, "regions:\n  - name: nokey\n    baseUrl: " + sim.baseUrl() + "\n");
    DoctorRun.Outcome o = DoctorRun.json(Map.of(), "--config", config.toString());
    assertEquals(1, o.exit(), o.all());
    JsonObject key = o.check("nokey", "api-key");
    assertEquals("fail", key.getString("status"));
    assertTrue(key.getString("fix").contains("ANTHROPIC_API_KEY"), key.encode());
    assertEquals("skipped: API key failed", o.check("nokey", "http").getString("summary"));
  }

  @Test
  void theKeyCanComeFromTheEnvironmentAndIsShownAsAFingerprint() {
    Path config = DoctorRun.write(dir, "regions:\n  - name: env\n    baseUrl: " + sim.baseUrl());
    DoctorRun.Outcome o =
        DoctorRun.json(
            Map.of("ANTHROPIC_API_KEY", KEY),
            "--config",
            config.toString(),
            "--timeout-ms",
            "5000");
    assertEquals(0, o.exit(), o.all());
    JsonObject details = o.check("env", "api-key").getJsonObject("details");
    assertEquals("ANTHROPIC_API_KEY", details.getString("origin"));
    assertEquals(DoctorRun.FINGERPRINT, details.getString("fingerprint"));
    assertFalse(o.all().contains(KEY_BODY), o.all());
  }

  @Test
  void mainRegistersTheCommand() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute("doctor", "--help"));
    for (String option : new String[] {"--config", "--json", "--region", "--timeout-ms"}) {
      assertTrue(out.toString().contains(option), option);
    }
    assertEquals(2, Main.run("doctor", "--config", dir.resolve("absent.yaml").toString()));
  }
}
