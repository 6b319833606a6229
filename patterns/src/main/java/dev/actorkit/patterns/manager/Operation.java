package dev.actorkit.patterns.manager;

import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import java.util.List;
import java.util.Objects;

/**
 * An atomic update of one entry of a {@link SharedMap} or one element of a {@link SharedList}: the
 * server reads the current value, computes the new one and stores it in one step, so no other
 * update can come between (no lost update, unlike {@code d[k] = d[k] + 1} through a Python proxy).
 * The set is fixed and every operation is a record, so it crosses JVMs as data, never as code.
 *
 * <p>This is also the answer to Python's {@code d[k].append(x)} pitfall: there the proxy hands out
 * a copy of the list and the append silently changes only the copy. Here a nested update is an
 * explicit operation on the entry ({@code Append}), done by the server on the stored list.
 */
public sealed interface Operation extends KitMessage {

  /** What an operation does to a current value ({@code null} when absent). */
  record Outcome(boolean applied, Payload value, String refusal) {
    static Outcome applied(Payload value) {
      return new Outcome(true, value, null);
    }

    static Outcome unchanged(Payload value) {
      return new Outcome(false, value, null);
    }

    static Outcome refused(String reason) {
      return new Outcome(false, null, reason);
    }

    boolean refused() {
      return refusal != null;
    }
  }

  /** The outcome of this operation on {@code current} ({@code null} when there is no value yet). */
  Outcome apply(Payload current);

  /**
   * Adds {@code delta} to the number stored (an absent entry counts as zero, as in {@code
   * collections.Counter}). Int plus int stays an int and overflow is refused; with a long it is a
   * long; with a float or double it is a double. Refused for anything but numbers.
   */
  record Increment(Payload delta) implements Operation {
    public Increment {
      Objects.requireNonNull(delta, "delta");
    }

    public static Increment by(long delta) {
      return new Increment(
          delta == (int) delta ? new Payload.IntValue((int) delta) : new Payload.LongValue(delta));
    }

    @Override
    public Outcome apply(Payload current) {
      if (!isNumber(delta)) {
        return Outcome.refused("increment needs a number to add, not " + delta);
      }
      if (current == null) {
        return Outcome.applied(delta);
      }
      if (!isNumber(current)) {
        return Outcome.refused("increment needs a number stored, found " + current);
      }
      if (isFloating(current) || isFloating(delta)) {
        return Outcome.applied(new Payload.DoubleValue(asDouble(current) + asDouble(delta)));
      }
      if (current instanceof Payload.IntValue a && delta instanceof Payload.IntValue b) {
        long sum = (long) a.number() + b.number();
        if (sum != (int) sum) {
          return Outcome.refused(
              "increment would overflow an Integer: " + a.number() + " + " + b.number());
        }
        return Outcome.applied(new Payload.IntValue((int) sum));
      }
      try {
        return Outcome.applied(
            new Payload.LongValue(Math.addExact(asLong(current), asLong(delta))));
      } catch (ArithmeticException e) {
        return Outcome.refused("increment would overflow a Long");
      }
    }

    private static boolean isNumber(Payload p) {
      return p instanceof Payload.IntValue || p instanceof Payload.LongValue || isFloating(p);
    }

    private static boolean isFloating(Payload p) {
      return p instanceof Payload.DoubleValue || p instanceof Payload.FloatValue;
    }

    private static long asLong(Payload p) {
      return ((Number) p.value()).longValue();
    }

    private static double asDouble(Payload p) {
      return ((Number) p.value()).doubleValue();
    }
  }

  /**
   * Appends {@code item} to the list stored (an absent entry becomes a one-item list). Refused if
   * what is stored is not a list.
   */
  record Append(Payload item) implements Operation {
    public Append {
      Objects.requireNonNull(item, "item");
    }

    @Override
    public Outcome apply(Payload current) {
      if (current == null) {
        return Outcome.applied(new Payload.Items(List.of(item)));
      }
      if (current instanceof Payload.Items items) {
        return Outcome.applied(items.plus(item));
      }
      return Outcome.refused("append needs a list stored, found " + current);
    }
  }

  /**
   * Compare-and-set: stores {@code replacement} if the value stored equals {@code expected};
   * otherwise changes nothing and reports {@code applied = false} with the value found.
   */
  record ReplaceIfEqual(Payload expected, Payload replacement) implements Operation {
    public ReplaceIfEqual {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(replacement, "replacement");
    }

    @Override
    public Outcome apply(Payload current) {
      return expected.equals(current) ? Outcome.applied(replacement) : Outcome.unchanged(current);
    }
  }
}
