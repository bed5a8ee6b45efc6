package dev.clauderelay.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

/** Shorthands for loading YAML text in tests. */
final class ConfigTesting {
  static final String SOURCE = "test.yaml";

  private ConfigTesting() {}

  static RelayConfig load(String yaml) {
    return ConfigLoader.fromYaml(yaml, SOURCE, Map.of());
  }

  static RelayConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.fromYaml(yaml, SOURCE, env);
  }

  static ConfigException failure(String yaml) {
    return failure(yaml, Map.of());
  }

  static ConfigException failure(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml, SOURCE, env));
  }

  /** Variables as alternating names and values. */
  static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }
}
