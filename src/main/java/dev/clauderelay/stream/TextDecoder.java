package dev.clauderelay.stream;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes, as a file hands them over in arbitrary pieces, to text with {@code \n} line ends. A
 * code point split across two pieces waits (at most 3 bytes) for the rest, so no piece ever ends
 * mid-codepoint; a leading BOM is dropped; CR and CRLF become LF, even when the pair is split
 * across pieces. Malformed bytes become U+FFFD rather than failing a long job at byte 150 000 000.
 */
final class TextDecoder {
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer carry = ByteBuffer.allocate(0);
  private boolean atStart = true;
  private boolean afterCr;

  /** The text of {@code bytes}, minus any incomplete code point at its end (kept for later). */
  String decode(Buffer bytes) {
    ByteBuffer in;
    if (carry.hasRemaining()) {
      in = ByteBuffer.allocate(carry.remaining() + bytes.length());
      in.put(carry).put(bytes.getBytes()).flip();
    } else {
      in = ByteBuffer.wrap(bytes.getBytes());
    }
    // UTF-8 never yields more UTF-16 units than bytes.
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, false);
    carry = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : in;
    return normalize(out.flip());
  }

  /** The end of input: what was carried (an incomplete code point becomes U+FFFD). */
  String finish() {
    CharBuffer out = CharBuffer.allocate(carry.remaining() + 2);
    decoder.decode(carry, out, true);
    decoder.flush(out);
    carry = ByteBuffer.allocate(0);
    return normalize(out.flip());
  }

  private String normalize(CharBuffer chars) {
    StringBuilder sb = new StringBuilder(chars.remaining());
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (atStart) {
        atStart = false;
        if (c == '\uFEFF') {
          continue;
        }
      }
      if (c == '\r') {
        sb.append('\n');
        afterCr = true;
        continue;
      }
      if (c == '\n' && afterCr) {
        afterCr = false;
        continue;
      }
      afterCr = false;
      sb.append(c);
    }
    return sb.toString();
  }
}
