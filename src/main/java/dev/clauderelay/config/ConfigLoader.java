package dev.clauderelay.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a {@link RelayConfig} from YAML and the environment. Each key's value comes from, first to
 * last: its {@code CLAUDE_RELAY_*} variable, the file (with {@code ${VAR}} and {@code
 * ${VAR:-default}} replaced from the environment), for the default region only {@code
 * ANTHROPIC_BASE_URL} / {@code ANTHROPIC_API_KEY}, the built-in default. docs/config.md says why.
 *
 * <p>Every problem found (syntax, unknown keys, types, ranges, unset variables, unused {@code
 * CLAUDE_RELAY_*} variables) is reported together in one {@link ConfigException}; no secret is ever
 * part of it. The environment is a parameter rather than {@link System#getenv()} so that tests and
 * embedders decide what it holds.
 *
 * <p>{@link #load} reads a file: blocking I/O, for startup or a worker thread, never an event loop.
 */
public final class ConfigLoader {
  /** The file {@code serve} and the other commands read when {@code --config} is not given. */
  public static final Path DEFAULT_PATH = Path.of("conf", "config.yaml");

  /** The source named in problems when the default file is absent. */
  public static final String DEFAULTS_SOURCE = "built-in defaults";

  private ConfigLoader() {}

  /**
   * Loads {@code file}; null means {@link #DEFAULT_PATH}. The default path may be absent (a jar run
   * from any directory still starts, on the built-in defaults plus the environment); a file named
   * explicitly must exist, since running on defaults instead would hide a typo in its name. A
   * {@code file} equal to the default path counts as the default, because a command line may fill
   * it in as the option's default value.
   */
  public static RelayConfig load(Path file, Map<String, String> env) {
    return load(file, DEFAULT_PATH, env);
  }

  /** {@link #load(Path, Map)} with another default path: for tests, which cannot move cwd. */
  static RelayConfig load(Path file, Path defaultPath, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Path path = file == null ? defaultPath : file;
    String source = path.toString();
    String yaml;
    try {
      yaml = Files.readString(path);
    } catch (NoSuchFileException e) {
      if (sameFile(path, defaultPath)) {
        return fromYaml("", DEFAULTS_SOURCE, env);
      }
      throw new ConfigException(
          source,
          List.of(
              "file not found (working directory "
                  + Path.of("").toAbsolutePath()
                  + "); without --config, "
                  + defaultPath
                  + " is read if present, else the built-in defaults"));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot read the file: " + e));
    }
    return fromYaml(yaml, source, env);
  }

  /**
   * Loads configuration text; {@code sourceName} prefixes each problem line (a file name, {@code
   * --config-text}, …). An empty text gives the defaults plus the environment.
   */
  public static RelayConfig fromYaml(String yaml, String sourceName, Map<String, String> env) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sourceName, "sourceName");
    LoadContext context = new LoadContext(Objects.requireNonNull(env, "env"));
    ObjectNode tree = YamlTree.parse(yaml, context);
    RelayConfig config = null;
    if (tree != null) {
      try {
        config = RelayConfig.read(new Section(tree, "", context));
      } catch (IllegalArgumentException e) {
        // A record's own check refused what the readers let through: still a config problem.
        context.problem(e.getMessage());
      }
      context.finish();
    }
    if (context.hasProblems()) {
      throw new ConfigException(sourceName, context.problems());
    }
    return config;
  }

  private static boolean sameFile(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
