/**
 * Logging plumbing referenced from {@code logback.xml}: a console appender cheap enough for one
 * line per request on an event loop. Nothing in the relay imports this package.
 */
package dev.clauderelay.logging;
