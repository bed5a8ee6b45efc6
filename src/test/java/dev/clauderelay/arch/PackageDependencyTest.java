package dev.clauderelay.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md's package table as a test: each package may use only the packages of its "may import"
 * column ({@code api} and {@code metrics} are open to all). Adapters sit on top; nothing in the
 * engine, region or transport layer knows an adapter.
 */
class PackageDependencyTest {
  private static final String BASE = "dev.clauderelay.";

  private static final Map<String, Set<String>> MAY_IMPORT =
      Map.ofEntries(
          Map.entry("api", Set.of()),
          Map.entry("metrics", Set.of()),
          Map.entry("transport", Set.of()),
          Map.entry("region", Set.of()),
          Map.entry("degrade", Set.of()),
          Map.entry("sim", Set.of()),
          Map.entry("engine", Set.of("region", "transport", "degrade")),
          Map.entry("health", Set.of("region", "transport")),
          Map.entry("client", Set.of("engine")),
          Map.entry("stream", Set.of("client")),
          Map.entry("eventbus", Set.of("client")),
          Map.entry("gateway", Set.of("client", "health")),
          Map.entry("doctor", Set.of("transport", "config")),
          Map.entry(
              "config",
              Set.of(
                  "client",
                  "engine",
                  "region",
                  "transport",
                  "health",
                  "degrade",
                  "stream",
                  "gateway",
                  "eventbus")));

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            // Not Predefined.DO_NOT_INCLUDE_TESTS: it only knows target/test-classes, and the
            // build directory can be moved (-Dbuild.dir).
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("dev.clauderelay");
  }

  static Stream<Arguments> packages() {
    return MAY_IMPORT.keySet().stream().sorted().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0} imports only what DESIGN.md allows")
  @MethodSource("packages")
  void packageImportsOnlyWhatItMay(String pkg) {
    Set<String> allowed = new TreeSet<>(MAY_IMPORT.get(pkg));
    allowed.addAll(List.of(pkg, "api", "metrics"));
    Set<String> forbidden = new TreeSet<>(MAY_IMPORT.keySet());
    forbidden.add("cli");
    forbidden.removeAll(allowed);
    String[] forbiddenPackages =
        forbidden.stream().map(p -> BASE + p + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage(BASE + pkg + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbiddenPackages)
        .allowEmptyShould(true)
        .because("DESIGN.md: " + pkg + " may import " + allowed)
        .check(classes);
  }
}
