package dev.actorkit.patterns.manager;

import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure state of a {@link SharedList}: payloads by index, and the rules of every write and read
 * (what is refused, what is answered, what subscribers hear). One atomic step per method; none
 * blocks, none touches an actor. The in-memory {@link SharedList} applies its writes here, and the
 * durable list of the {@code durable} module replays its journal through {@link #apply}, so both
 * keep and answer the same.
 *
 * <p>Cost: {@link #apply} of an {@link Update} computes its {@link Operation} once, {@link
 * #refusal} once more. Not thread-safe: one actor owns it.
 */
public final class SharedListState {

  /** What a write did at {@code index}, or why it was refused. */
  public record Change(int index, Payload before, Payload after, boolean applied, String refusal) {}

  /**
   * A write without its reply address: what a list applies, and what a request id is remembered
   * for. Records, so they cross JVMs and go into a journal as data.
   */
  public sealed interface Write extends KitMessage {

    /** The write as a request id remembers it: two writes that describe alike are the same. */
    String describe();
  }

  /** Adds {@code value} at the end. */
  public record Append(Payload value) implements Write {
    @Override
    public String describe() {
      return "append " + value;
    }
  }

  /** Replaces the element at {@code index} (negative counts from the end). */
  public record Set(int index, Payload value) implements Write {
    @Override
    public String describe() {
      return "set [" + index + "] = " + value;
    }
  }

  /** Applies {@code operation} to the element at {@code index} (negative counts from the end). */
  public record Update(int index, Operation operation) implements Write {
    @Override
    public String describe() {
      return "update [" + index + "] with " + operation;
    }
  }

  /**
   * What a write answers its writer ({@code Appended}, {@code Previous}, {@code Updated} or {@code
   * Rejected}), and the change its subscribers hear of ({@code null} when nothing changed).
   */
  public record Applied(SharedList.Reply reply, SharedList.Changed changed) {}

  private static final String NO_VALUE = "a value must not be null";
  private static final String NO_OPERATION = "an update needs an operation";

  private final List<Payload> elements = new ArrayList<>();

  /**
   * Why {@link #apply} would refuse {@code write} now (a null value or operation, an index out of
   * range, an operation that does not fit the element), or {@code null} if it would take it.
   * Changes nothing.
   */
  public String refusal(Write write) {
    if (write instanceof Append append) {
      return append.value() == null ? NO_VALUE : null;
    } else if (write instanceof Set set) {
      if (set.value() == null) {
        return NO_VALUE;
      }
      return resolve(set.index()) < 0 ? rangeError(set.index()) : null;
    }
    Update update = (Update) write;
    if (update.operation() == null) {
      return NO_OPERATION;
    }
    int at = resolve(update.index());
    if (at < 0) {
      return rangeError(update.index());
    }
    Operation.Outcome outcome = update.operation().apply(elements.get(at));
    return outcome.refused() ? refused(update.index(), outcome) : null;
  }

  /**
   * Applies {@code write}: its answer and the change, or {@code Rejected} (with {@link #refusal}'s
   * reason) and nothing changed.
   */
  public Applied apply(Write write) {
    if (write instanceof Append append) {
      if (append.value() == null) {
        return rejected(NO_VALUE);
      }
      int index = append(append.value());
      return new Applied(
          new SharedList.Appended(index), new SharedList.Changed(index, null, append.value()));
    } else if (write instanceof Set set) {
      if (set.value() == null) {
        return rejected(NO_VALUE);
      }
      Change change = set(set.index(), set.value());
      if (change.refusal() != null) {
        return rejected(change.refusal());
      }
      return new Applied(new SharedList.Previous(change.before()), changed(change));
    }
    Update update = (Update) write;
    if (update.operation() == null) {
      return rejected(NO_OPERATION);
    }
    Change change = update(update.index(), update.operation());
    if (change.refusal() != null) {
      return rejected(change.refusal());
    }
    return new Applied(
        new SharedList.Updated(change.applied(), change.after()),
        change.applied() ? changed(change) : null);
  }

  /** The answer to a read of {@code index}: its {@code Value}, or {@code Rejected} out of range. */
  public SharedList.Reply read(int index) {
    Payload value = get(index);
    return value == null ? new SharedList.Rejected(rangeError(index)) : new SharedList.Value(value);
  }

  public int append(Payload value) {
    elements.add(value);
    return elements.size() - 1;
  }

  /**
   * The element at {@code index}; negative indexes count from the end, as in Python. Null if out of
   * range.
   */
  public Payload get(int index) {
    int at = resolve(index);
    return at < 0 ? null : elements.get(at);
  }

  public Change set(int index, Payload value) {
    int at = resolve(index);
    if (at < 0) {
      return outOfRange(index);
    }
    Payload before = elements.set(at, value);
    return new Change(at, before, value, true, null);
  }

  public Change update(int index, Operation operation) {
    int at = resolve(index);
    if (at < 0) {
      return outOfRange(index);
    }
    Payload before = elements.get(at);
    Operation.Outcome outcome = operation.apply(before);
    if (outcome.refused()) {
      return new Change(at, before, before, false, refused(index, outcome));
    }
    if (outcome.applied()) {
      elements.set(at, outcome.value());
    }
    return new Change(
        at, before, outcome.applied() ? outcome.value() : before, outcome.applied(), null);
  }

  public int size() {
    return elements.size();
  }

  /** A copy of the elements. */
  public List<Payload> snapshot() {
    return List.copyOf(elements);
  }

  /** Why {@code index} is refused: out of range for the list as it is now. */
  public String rangeError(int index) {
    return "list index " + index + " out of range (size " + elements.size() + ")";
  }

  private static String refused(int index, Operation.Outcome outcome) {
    return "index " + index + ": " + outcome.refusal();
  }

  private static Applied rejected(String reason) {
    return new Applied(new SharedList.Rejected(reason), null);
  }

  private static SharedList.Changed changed(Change change) {
    return new SharedList.Changed(change.index(), change.before(), change.after());
  }

  private Change outOfRange(int index) {
    return new Change(index, null, null, false, rangeError(index));
  }

  private int resolve(int index) {
    int at = index < 0 ? elements.size() + index : index;
    return at >= 0 && at < elements.size() ? at : -1;
  }
}
