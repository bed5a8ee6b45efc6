package dev.clauderelay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A raw value on its way to a typed key, with where it came from, so that an error about it can say
 * {@code (from CLAUDE_RELAY_GATEWAY_PORT)} rather than leave the user to search the file.
 *
 * @param node the YAML node, or a text node for values from the environment
 * @param origin empty for a literal from the file, else a suffix such as {@code " (from ${PORT})"}
 */
record Value(JsonNode node, String origin) {
  /** A value whose problem is already reported: readers fall back to the default silently. */
  static final Value FAILED = new Value(MissingNode.getInstance(), "");
}
