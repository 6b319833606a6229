package dev.actorkit.core.console;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON on one line: numbers, booleans, strings, durations (as seconds of story time, to the
 * millisecond), lists and maps (in their iteration order); anything else as its {@code toString()}
 * in a string. Core has no JSON library and the documents written with it are small and flat — the
 * console's events and the demos' {@code --json} lines — so this is all they need.
 */
public final class Json {

  private Json() {}

  /** Text that is JSON already, written as it is. */
  record Raw(String json) {}

  /** {@code value} as one line of JSON. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  /** Story time as seconds with three decimals, the unit the page shows. */
  static double seconds(Duration duration) {
    return Math.round(duration.toNanos() / 1_000_000.0) / 1000.0;
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Raw raw) {
      out.append(raw.json());
    } else if (value instanceof Duration duration) {
      out.append(seconds(duration));
    } else if (value instanceof Number number) {
      double d = number.doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        appendString(out, String.valueOf(entry.getKey()));
        out.append(':');
        append(out, entry.getValue());
        if (entries.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (value instanceof Iterable<?> items) {
      out.append('[');
      Iterator<?> it = items.iterator();
      while (it.hasNext()) {
        append(out, it.next());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else {
      appendString(out, value.toString());
    }
  }

  /**
   * A JSON string. Besides the required escapes, {@code <}, {@code >} and {@code &} are escaped so
   * that text from a trace detail can never close a script element or be read as markup, and the
   * line separators U+2028 and U+2029 so that the result is one line for an event stream.
   */
  private static void appendString(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
