package dev.clauderelay.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.clauderelay.api.Secrets;
import dev.clauderelay.cli.DoctorCommand;
import dev.clauderelay.testing.FakeKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code doctor} in-process with an injected environment, capturing what it prints. */
final class DoctorRun {
  /** Recognisable, well-formed, fake: it must never be printed. */
  static final String KEY =
      FakeKeys.SK_ANT
          + "api03-DOCTORFAKEKEY-do-not-print-0123456789abcdefghijklmnopqrstuvwxyzABCDEF-Zz9";

  /** What may be shown instead: {@code sk-ant-…-Zz9}. */
  static final String FINGERPRINT = Secrets.fingerprint(KEY);

  /** A part of the key that no fingerprint contains. */
  static final String KEY_BODY = "DOCTORFAKEKEY";

  private DoctorRun() {}

  /** What one run printed and returned. */
  record Outcome(int exit, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }

    /** The check {@code id} of the region {@code name} in the JSON output. */
    JsonObject check(String region, String id) {
      for (Object r : json().getJsonArray("regions")) {
        JsonObject reg = (JsonObject) r;
        if (reg.getString("name").equals(region)) {
          for (Object c : reg.getJsonArray("checks")) {
            if (((JsonObject) c).getString("id").equals(id)) {
              return (JsonObject) c;
            }
          }
        }
      }
      throw new AssertionError("no check " + id + " of region " + region + " in " + out);
    }

    String status(String region, String id) {
      return check(region, id).getString("status");
    }

    /** Everything printed, for "never shows X" assertions. */
    String all() {
      return out + err;
    }
  }

  static Outcome run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new DoctorCommand(env, Clock.systemUTC()));
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  /** Runs with {@code --json} and checks the document's own exit code matches. */
  static Outcome json(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    Outcome o = run(env, all.toArray(String[]::new));
    assertNotNull(o.json(), o.all());
    assertEquals(o.exit(), o.json().getInteger("exitCode"), o.all());
    return o;
  }

  /** A configuration file with one region. */
  static Path config(Path dir, String baseUrl, String extraYaml) {
    return write(
        dir,
        "regions:\n"
            + "  - name: local\n"
            + "    baseUrl: \""
            + baseUrl
            + "\"\n"
            + "    apiKeys: [\""
            + KEY
            + "\"]\n"
            + (extraYaml == null ? "" : extraYaml));
  }

  static Path write(Path dir, String yaml) {
    try {
      Path file = Files.createTempFile(dir, "doctor", ".yaml");
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
