package dev.clauderelay.eventbus;

/**
 * The event-bus addresses of DESIGN.md's public contract. Other tools and other nodes of a cluster
 * rely on these strings: do not rename them.
 */
public final class Addresses {
  /** Request/reply: body = Anthropic request JSON, reply = Message JSON. */
  public static final String MESSAGES = "claude.messages";

  /** Opens a credit-based stream (see {@code docs/eventbus.md}). */
  public static final String STREAM = "claude.stream";

  /**
   * Prefix of a stream's control address, where its consumer grants credits and cancels. One
   * address per stream, so that credits reach the verticle instance (and cluster node) that owns
   * the stream rather than whichever instance the event bus picks round-robin.
   */
  public static final String STREAM_CONTROL_PREFIX = "claude.stream.control.";

  /**
   * Prefix {@link EventBusStream} uses for its own reply-to addresses. Any unique address works;
   * this one only keeps them recognisable in event-bus traces.
   */
  public static final String STREAM_REPLY_PREFIX = "claude.stream.reply.";

  /** Published region state changes (by the health verticle, not by {@link ClaudeVerticle}). */
  public static final String HEALTH = "claude.health";

  /** Published pending-task completions (by the degradation layer, not by ClaudeVerticle). */
  public static final String TASKS = "claude.tasks";

  private Addresses() {}

  /** The control address of stream {@code id}. */
  public static String streamControl(String id) {
    return STREAM_CONTROL_PREFIX + id;
  }
}
