package dev.clauderelay.api.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Server-sent events parsed by the WHATWG rules: CR, LF or CRLF line ends (a CR at the end of one
 * chunk and an LF at the start of the next are one line end), several {@code data:} lines joined by
 * {@code \n}, comments ({@code :…}), one optional space after the colon, an optional UTF-8 BOM, and
 * events split across chunks at any byte. It holds at most one partial event, bounded by {@code
 * maxEventBytes}; an event without data dispatches nothing.
 *
 * <p>Works on bytes and decodes UTF-8 per line, so a multi-byte character split across chunks is
 * decoded whole. Not thread-safe: one decoder per stream, fed from its context.
 */
public final class SseDecoder {
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final Consumer<SseFrame> sink;
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean afterCr;
  private boolean firstLine = true;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType;
  private String lastId;
  private int eventBytes;
  private long comments;

  public SseDecoder(Consumer<SseFrame> sink, int maxEventBytes) {
    this.sink = sink;
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds one network chunk; complete events go to the sink before this returns. */
  public void feed(Buffer chunk) {
    feed(chunk.getBytes());
  }

  public void feed(byte[] bytes) {
    for (byte b : bytes) {
      if (afterCr) {
        afterCr = false;
        if (b == LF) {
          continue;
        }
      }
      if (b == CR) {
        afterCr = true;
        endOfLine();
      } else if (b == LF) {
        endOfLine();
      } else {
        append(b);
      }
    }
  }

  /**
   * Called at the end of the body. By the spec an event not closed by a blank line is dropped.
   *
   * @return true when something was pending (a partial line or an undispatched event): the stream
   *     was cut inside an event
   */
  public boolean finish() {
    boolean pending = lineLength > 0 || hasData || eventType != null;
    lineLength = 0;
    resetEvent();
    return pending;
  }

  /** Comment lines seen ({@code : ping}-style keep-alives). */
  public long comments() {
    return comments;
  }

  private void append(byte b) {
    if (++eventBytes > maxEventBytes) {
      throw new SseTooLargeException("server-sent event larger than " + maxEventBytes + " bytes");
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void endOfLine() {
    int start = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3
          && (line[0] & 0xFF) == 0xEF
          && (line[1] & 0xFF) == 0xBB
          && (line[2] & 0xFF) == 0xBF) {
        start = 3;
      }
    }
    int length = lineLength - start;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[start] == ':') {
      comments++;
      return;
    }
    int colon = -1;
    for (int i = start; i < start + length; i++) {
      if (line[i] == ':') {
        colon = i;
        break;
      }
    }
    String field;
    String value;
    if (colon < 0) {
      field = new String(line, start, length, StandardCharsets.UTF_8);
      value = "";
    } else {
      field = new String(line, start, colon - start, StandardCharsets.UTF_8);
      int valueStart = colon + 1;
      if (valueStart < start + length && line[valueStart] == ' ') {
        valueStart++;
      }
      value = new String(line, valueStart, start + length - valueStart, StandardCharsets.UTF_8);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastId = value;
        }
      }
      default -> {
        // "retry" and unknown fields are ignored, as the spec says.
      }
    }
  }

  private void dispatch() {
    if (hasData) {
      SseFrame frame =
          new SseFrame(
              eventType == null || eventType.isEmpty() ? "message" : eventType,
              data.toString(),
              lastId);
      resetEvent();
      sink.accept(frame);
    } else {
      resetEvent();
    }
  }

  private void resetEvent() {
    data.setLength(0);
    hasData = false;
    eventType = null;
    eventBytes = 0;
  }
}
