/**
 * The relay on the Vert.x event bus: {@link dev.clauderelay.eventbus.ClaudeVerticle} serves {@code
 * claude.messages} and the credit-based {@code claude.stream}; {@link
 * dev.clauderelay.eventbus.EventBusStream} is the consumer's side of a stream. JSON bodies only, so
 * the same contract works on a clustered event bus. Protocol: {@code docs/eventbus.md}.
 */
package dev.clauderelay.eventbus;
