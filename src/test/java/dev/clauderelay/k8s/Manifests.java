package dev.clauderelay.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every object of every YAML file in {@code k8s/}, parsed with Jackson (multi-document aware). */
final class Manifests {
  static final Path DIR = Path.of("k8s");

  /** One object and the file it came from, for messages that say where to look. */
  record Manifest(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file.getFileName() + ":" + kind() + "/" + name();
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<Manifest> all;

  private Manifests(List<Manifest> all) {
    this.all = List.copyOf(all);
  }

  static Manifests load() {
    List<Manifest> all = new ArrayList<>();
    for (Path file : yamlFiles()) {
      try (MappingIterator<JsonNode> docs =
          YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          // A "---" with nothing after it is an empty document, not an object.
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            all.add(new Manifest(file, doc));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse " + file, e);
      }
    }
    return new Manifests(all);
  }

  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Manifest> all() {
    return all;
  }

  /** The one object of this kind; fails when there is none or several. */
  JsonNode one(String kind) {
    List<Manifest> found = all.stream().filter(m -> m.kind().equals(kind)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " in k8s/, found " + found);
    }
    return found.get(0).node();
  }
}
