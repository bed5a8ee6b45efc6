/**
 * The relay's configuration: immutable records ({@link dev.clauderelay.config.RelayConfig} and its
 * sections) and {@link dev.clauderelay.config.ConfigLoader}, which reads them from YAML and the
 * environment and reports every problem at once in a {@link
 * dev.clauderelay.config.ConfigException}. Precedence and the reasons for it: {@code
 * docs/config.md}.
 */
package dev.clauderelay.config;
