package dev.clauderelay.degrade;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One spelling per JSON value, so that equal requests hash equally however a client wrote them:
 * object keys sorted (by UTF-16 code unit, recursively), no whitespace, numbers in their shortest
 * plain decimal form ({@code 0}, {@code 0.0} and {@code 0e0} are all {@code 0}). Array order is
 * kept: it is meaningful (messages, stop sequences).
 */
final class CanonicalJson {
  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  private CanonicalJson() {}

  static String encode(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(value, sb);
    return sb.toString();
  }

  private static void write(Object value, StringBuilder sb) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof JsonObject o) {
      writeObject(o.getMap(), sb);
    } else if (value instanceof Map<?, ?> m) {
      writeObject(m, sb);
    } else if (value instanceof JsonArray a) {
      writeArray(a.getList(), sb);
    } else if (value instanceof List<?> l) {
      writeArray(l, sb);
    } else if (value instanceof String s) {
      sb.append('"').append(STRINGS.quoteAsString(s)).append('"');
    } else if (value instanceof Boolean b) {
      sb.append(b);
    } else if (value instanceof Number n) {
      sb.append(number(n));
    } else {
      // Vert.x JSON holds only the types above once parsed; anything else is written as a string.
      sb.append('"').append(STRINGS.quoteAsString(value.toString())).append('"');
    }
  }

  private static void writeObject(Map<?, ?> map, StringBuilder sb) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object k : map.keySet()) {
      keys.add(String.valueOf(k));
    }
    keys.sort(null);
    sb.append('{');
    boolean first = true;
    for (String key : keys) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"').append(STRINGS.quoteAsString(key)).append("\":");
      write(map.get(key), sb);
    }
    sb.append('}');
  }

  private static void writeArray(List<?> list, StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      write(list.get(i), sb);
    }
    sb.append(']');
  }

  private static String number(Number n) {
    BigDecimal d;
    if (n instanceof BigDecimal b) {
      d = b;
    } else if (n instanceof BigInteger i) {
      d = new BigDecimal(i);
    } else if (n instanceof Double || n instanceof Float) {
      double v = n.doubleValue();
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return "\"" + v + "\"";
      }
      d = BigDecimal.valueOf(v);
    } else {
      d = BigDecimal.valueOf(n.longValue());
    }
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }
}
