package dev.clauderelay.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** YAML text to a Jackson tree, with syntax errors that never quote the file's text. */
final class YamlTree {
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          // A key written twice is a mistake whichever copy was meant; YAML would keep the last.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // A second document (after ---) would otherwise be ignored without a word.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private YamlTree() {}

  /** The top-level mapping (empty for an empty file), or null after reporting why there is none. */
  static ObjectNode parse(String yaml, LoadContext context) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      context.problem(describe(e));
      return null;
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      context.problem(
          "the top level must be a mapping of sections (gateway:, regions:, retry:, …), got "
              + (tree.isArray() ? "a list" : "a single value"));
      return null;
    }
    return (ObjectNode) tree;
  }

  /**
   * Position and problem only. SnakeYAML's own message quotes the offending line, and that line may
   * be an API key pasted at the wrong indentation.
   */
  private static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      return "invalid YAML at line "
          + (mark.getLine() + 1)
          + ", column "
          + (mark.getColumn() + 1)
          + ": "
          + yaml.getProblem();
    }
    JsonLocation location = e.getLocation();
    String where =
        location == null || location.getLineNr() < 1
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    String message = firstLine(e.getOriginalMessage());
    if (message.startsWith("Trailing token")) {
      message = "a second YAML document (after ---); the configuration is one document";
    }
    return "invalid YAML" + where + ": " + message;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
