package dev.clauderelay.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clauderelay.config.ConfigException;
import dev.clauderelay.config.ConfigLoader;
import dev.clauderelay.config.RelayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests agree with the relay: the ConfigMap is a config our loader accepts, and the
 * Deployment, Service, probes, env, Secret and ServiceMonitor all point at what that config says.
 */
class ManifestsTest {
  /**
   * DESIGN.md's environment names; any other relay setting is a {@code CLAUDE_RELAY_*} override.
   */
  private static final Set<String> DESIGN_ENV =
      Set.of(
          "ANTHROPIC_API_KEY",
          "ANTHROPIC_BASE_URL",
          "CLAUDE_RELAY_GATEWAY_TOKENS",
          "CLAUDE_RELAY_PORT");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-)?");
  private static final Pattern REAL_KEY = Pattern.compile("sk-ant-[A-Za-z0-9_-]{16,}");
  private static final String FAKE_TOKENS = "test-token-1,test-token-2";

  private static Manifests manifests;
  private static JsonNode deployment;
  private static JsonNode container;
  private static String configYaml;
  private static RelayConfig config;

  @BeforeAll
  static void load() {
    manifests = Manifests.load();
    deployment = manifests.one("Deployment");
    JsonNode containers = deployment.at("/spec/template/spec/containers");
    assertEquals(1, containers.size(), "one container");
    container = containers.get(0);
    configYaml = manifests.one("ConfigMap").at("/data/config.yaml").asText(null);
    assertNotNull(configYaml, "the ConfigMap holds config.yaml");
    config = ConfigLoader.fromYaml(configYaml, "k8s/configmap.yaml", fakeEnv());
  }

  /** Every variable the Deployment sets, with a fake value, as the container would see them. */
  private static Map<String, String> fakeEnv() {
    Map<String, String> env = new HashMap<>();
    for (String name : envNames()) {
      env.put(name, name.equals("CLAUDE_RELAY_GATEWAY_TOKENS") ? FAKE_TOKENS : "fake-" + name);
    }
    return env;
  }

  private static List<String> envNames() {
    List<String> names = new ArrayList<>();
    container.path("env").forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  @Test
  void everyObjectHasApiVersionKindAndName() {
    assertTrue(manifests.all().size() >= 10, "objects found: " + manifests.all());
    Set<String> kinds = new TreeSet<>();
    for (Manifests.Manifest m : manifests.all()) {
      assertFalse(m.node().path("apiVersion").asText().isBlank(), m + ": apiVersion");
      assertFalse(m.kind().isBlank(), m + ": kind");
      assertFalse(m.name().isBlank(), m + ": metadata.name");
      kinds.add(m.kind());
    }
    assertTrue(
        kinds.containsAll(
            Set.of(
                "Deployment",
                "Service",
                "ConfigMap",
                "Secret",
                "HorizontalPodAutoscaler",
                "PodDisruptionBudget",
                "NetworkPolicy",
                "ServiceMonitor")),
        "kinds: " + kinds);
    assertEquals(
        "autoscaling/v2", manifests.one("HorizontalPodAutoscaler").path("apiVersion").asText());
    assertEquals(
        "monitoring.coreos.com/v1", manifests.one("ServiceMonitor").path("apiVersion").asText());
  }

  @Test
  void theConfigMapIsAConfigTheLoaderAccepts() {
    assertEquals("0.0.0.0", config.gateway().host(), "reachable through the pod IP");
    assertEquals(List.of("test-token-1", "test-token-2"), config.gateway().tokens());
    assertEquals(List.of("fake-ANTHROPIC_API_KEY"), config.regions().get(0).apiKeys());
    assertEquals("https://api.anthropic.com", config.regions().get(0).baseUrl());
  }

  @Test
  void withoutTheTokensTheConfigRefusesToLoad() {
    Map<String, String> env = fakeEnv();
    env.remove("CLAUDE_RELAY_GATEWAY_TOKENS");

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml(configYaml, "k8s/configmap.yaml", env));

    assertTrue(e.getMessage().contains("CLAUDE_RELAY_GATEWAY_TOKENS"), e.getMessage());
  }

  @Test
  void theContainerPortServicePortAndProbesAreTheGatewayPort() {
    int port = config.gateway().port();
    assertEquals(8080, port);
    assertEquals(port, containerPort("http"));
    JsonNode service = manifests.one("Service");
    JsonNode servicePort = service.at("/spec/ports").get(0);
    assertEquals(port, resolve(servicePort.path("targetPort")), "Service targetPort");

    assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
    assertEquals(port, resolve(container.at("/livenessProbe/httpGet/port")));
    assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals(port, resolve(container.at("/readinessProbe/httpGet/port")));

    JsonNode policyPort = manifests.one("NetworkPolicy").at("/spec/ingress/0/ports/0/port");
    assertEquals(port, resolve(policyPort), "NetworkPolicy ingress port");
  }

  @Test
  void theContainerRunsTheJarWithTheMountedConfig() {
    assertEquals(
        List.of("serve", "--config", "/app/conf/config.yaml"), texts(container.path("args")));
    JsonNode configVolume = volume("config");
    assertEquals(
        manifests.one("ConfigMap").at("/metadata/name").asText(),
        configVolume.at("/configMap/name").asText());
    assertEquals("config.yaml", configVolume.at("/configMap/items/0/path").asText());
    assertEquals("/app/conf", mountPath("config"));

    // Read-only root: /tmp and the pending-task directory (relative to WORKDIR /app) are emptyDirs.
    assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
    assertTrue(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean());
    assertTrue(volume("tmp").has("emptyDir"));
    assertEquals("/tmp", mountPath("tmp"));
    assertTrue(volume("pending").has("emptyDir"));
    assertEquals(
        Path.of("/app").resolve(config.degrade().pendingDir()).normalize().toString(),
        mountPath("pending"));
  }

  @Test
  void envNamesAreDesignsAndConfigPlaceholdersAreSet() {
    for (String name : envNames()) {
      assertTrue(
          DESIGN_ENV.contains(name) || name.startsWith("CLAUDE_RELAY_"),
          name + " is not an environment name of DESIGN.md");
    }
    Matcher m = PLACEHOLDER.matcher(configYaml);
    Set<String> required = new LinkedHashSet<>();
    while (m.find()) {
      assertTrue(DESIGN_ENV.contains(m.group(1)), "${" + m.group(1) + "} is not DESIGN.md's");
      if (m.group(2) == null) {
        required.add(m.group(1));
      }
    }
    assertTrue(
        envNames().containsAll(required),
        "the Deployment sets every required ${VAR}: " + required + " vs " + envNames());
  }

  @Test
  void everySecretKeyRefExistsInTheSecret() {
    JsonNode secret = manifests.one("Secret");
    String secretName = secret.at("/metadata/name").asText();
    Set<String> keys = new TreeSet<>();
    secret.path("stringData").fieldNames().forEachRemaining(keys::add);
    secret.path("data").fieldNames().forEachRemaining(keys::add);
    int refs = 0;
    for (JsonNode e : container.path("env")) {
      JsonNode ref = e.at("/valueFrom/secretKeyRef");
      if (!ref.isMissingNode()) {
        refs++;
        assertEquals(secretName, ref.path("name").asText(), e.path("name").asText());
        assertTrue(keys.contains(ref.path("key").asText()), ref + " not in " + keys);
      }
    }
    assertTrue(refs >= 2, "the API key and the gateway tokens come from the Secret");
    assertTrue(
        container.path("env").findValues("value").isEmpty(),
        "no literal env values: everything secret comes from the Secret");
  }

  @Test
  void theServiceMonitorScrapesMetricsFromTheService() {
    JsonNode monitor = manifests.one("ServiceMonitor");
    JsonNode service = manifests.one("Service");
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertEquals("/metrics", endpoint.path("path").asText());
    assertEquals(service.at("/spec/ports/0/name").asText(), endpoint.path("port").asText());
    monitor
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(
            label ->
                assertEquals(
                    label.getValue().asText(),
                    service.at("/metadata/labels").path(label.getKey()).asText(),
                    "the Service carries label " + label.getKey()));
  }

  @Test
  void selectorsAndTargetsPointAtTheDeployment() {
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    assertSubset(deployment.at("/spec/selector/matchLabels"), podLabels, "Deployment selector");
    assertSubset(manifests.one("Service").at("/spec/selector"), podLabels, "Service selector");
    assertSubset(
        manifests.one("PodDisruptionBudget").at("/spec/selector/matchLabels"), podLabels, "PDB");
    assertSubset(
        manifests.one("NetworkPolicy").at("/spec/podSelector/matchLabels"), podLabels, "policy");
    JsonNode target = manifests.one("HorizontalPodAutoscaler").at("/spec/scaleTargetRef");
    assertEquals("Deployment", target.path("kind").asText());
    assertEquals(deployment.at("/metadata/name").asText(), target.path("name").asText());
    assertEquals(2, deployment.at("/spec/replicas").asInt());
    assertEquals(
        "topology.kubernetes.io/zone",
        deployment.at("/spec/template/spec/topologySpreadConstraints/0/topologyKey").asText());
    assertFalse(container.at("/lifecycle/preStop").isMissingNode(), "preStop lets endpoints drain");
    assertTrue(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt() > 5);
    assertFalse(container.at("/resources/requests").isMissingNode());
    assertFalse(container.at("/resources/limits").isMissingNode());
  }

  @Test
  void noRealLookingKeyIsCommitted() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(Manifests.DIR)) {
      all.filter(Files::isRegularFile).forEach(files::add);
    }
    files.add(Path.of("Dockerfile"));
    for (Path file : files) {
      Matcher m = REAL_KEY.matcher(Files.readString(file));
      assertFalse(m.find(), file + " holds something shaped like an API key");
    }
  }

  private static int containerPort(String name) {
    for (JsonNode p : container.path("ports")) {
      if (name.equals(p.path("name").asText())) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  /** A port given by number or by the container port's name. */
  private static int resolve(JsonNode port) {
    return port.isInt() ? port.asInt() : containerPort(port.asText());
  }

  private static JsonNode volume(String name) {
    for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    throw new AssertionError("no volume named " + name);
  }

  private static String mountPath(String volume) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (volume.equals(m.path("name").asText())) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("volume " + volume + " is not mounted");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void assertSubset(JsonNode selector, JsonNode labels, String what) {
    assertTrue(selector.size() > 0, what + " selects something");
    selector
        .properties()
        .forEach(
            e ->
                assertEquals(
                    e.getValue().asText(),
                    labels.path(e.getKey()).asText(),
                    what + " " + e.getKey()));
  }
}
