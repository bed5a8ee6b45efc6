package dev.clauderelay.api.sse;

/**
 * One dispatched server-sent event, before any JSON parsing.
 *
 * @param event the {@code event:} field, or {@code "message"} when the event had none
 * @param data the {@code data:} lines joined by {@code \n}
 * @param id the last {@code id:} seen, or null
 */
public record SseFrame(String event, String data, String id) {}
