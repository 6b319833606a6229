package dev.actorkit.patterns.manager;

import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pure state of a {@link SharedMap}: string keys to payloads, in insertion order, and the rules
 * of every write and read (what is refused, what is answered, what subscribers hear). Every method
 * is one atomic step of the server; none blocks, none touches an actor. The in-memory {@link
 * SharedMap} applies its writes here, and the durable map of the {@code durable} module replays its
 * journal through {@link #apply}, so both keep and answer the same.
 *
 * <p>Cost: {@link #apply} of an {@link Update} computes its {@link Operation} once, {@link
 * #refusal} once more; an {@code Append} copies the stored list. Not thread-safe: one actor owns
 * it.
 */
public final class SharedMapState {

  /**
   * What a write did: the value before and after ({@code null} for absent), or why it was refused.
   */
  public record Change(Payload before, Payload after, boolean applied, String refusal) {}

  /**
   * A write without its reply address: what a map applies, and what a request id is remembered for.
   * Records, so they cross JVMs and go into a journal as data.
   */
  public sealed interface Write extends KitMessage {

    /** The write as a request id remembers it: two writes that describe alike are the same. */
    String describe();
  }

  /** Stores {@code value} under {@code key}. */
  public record Put(String key, Payload value) implements Write {
    @Override
    public String describe() {
      return "put '" + key + "' = " + value;
    }
  }

  /** Stores {@code value} under {@code key} if the key is absent. */
  public record PutIfAbsent(String key, Payload value) implements Write {
    @Override
    public String describe() {
      return "putIfAbsent '" + key + "' = " + value;
    }
  }

  /** Removes {@code key}. */
  public record Remove(String key) implements Write {
    @Override
    public String describe() {
      return "remove '" + key + "'";
    }
  }

  /** Applies {@code operation} to the entry under {@code key}. */
  public record Update(String key, Operation operation) implements Write {
    @Override
    public String describe() {
      return "update '" + key + "' with " + operation;
    }
  }

  /**
   * What a write answers its writer ({@code Previous}, {@code Updated} or {@code Rejected}), and
   * the change its subscribers hear of ({@code null} when nothing changed).
   */
  public record Applied(SharedMap.Reply reply, SharedMap.Changed changed) {}

  private static final String NO_KEY = "a key must not be null";
  private static final String NO_KEY_OR_VALUE = "a key and a value must not be null";
  private static final String NO_KEY_OR_OPERATION = "an update needs a key and an operation";

  private final Map<String, Payload> entries = new LinkedHashMap<>();

  /**
   * Why {@link #apply} would refuse {@code write} now (a null key or value, an operation that does
   * not fit the stored value), or {@code null} if it would take it. Changes nothing.
   */
  public String refusal(Write write) {
    if (write instanceof Put put) {
      return put.key() == null || put.value() == null ? NO_KEY_OR_VALUE : null;
    } else if (write instanceof PutIfAbsent put) {
      return put.key() == null || put.value() == null ? NO_KEY_OR_VALUE : null;
    } else if (write instanceof Remove remove) {
      return remove.key() == null ? NO_KEY : null;
    }
    Update update = (Update) write;
    if (update.key() == null || update.operation() == null) {
      return NO_KEY_OR_OPERATION;
    }
    Operation.Outcome outcome = update.operation().apply(entries.get(update.key()));
    return outcome.refused() ? refused(update.key(), outcome) : null;
  }

  /**
   * Applies {@code write}: its answer and the change, or {@code Rejected} (with {@link #refusal}'s
   * reason) and nothing changed.
   */
  public Applied apply(Write write) {
    if (write instanceof Update update) {
      if (update.key() == null || update.operation() == null) {
        return rejected(NO_KEY_OR_OPERATION);
      }
      Change change = update(update.key(), update.operation());
      if (change.refusal() != null) {
        return rejected(change.refusal());
      }
      return new Applied(
          new SharedMap.Updated(change.applied(), change.after()), changed(update.key(), change));
    }
    String refusal = refusal(write);
    if (refusal != null) {
      return rejected(refusal);
    }
    String key;
    Change change;
    if (write instanceof Put put) {
      key = put.key();
      change = put(key, put.value());
    } else if (write instanceof PutIfAbsent put) {
      key = put.key();
      change = putIfAbsent(key, put.value());
    } else {
      key = ((Remove) write).key();
      change = remove(key);
    }
    return new Applied(new SharedMap.Previous(change.before()), changed(key, change));
  }

  /** The answer to a read of {@code key}: its {@code Value} ({@code null} when absent). */
  public SharedMap.Reply read(String key) {
    return key == null ? new SharedMap.Rejected(NO_KEY) : new SharedMap.Value(entries.get(key));
  }

  /** The value under {@code key}, or {@code null}. */
  public Payload get(String key) {
    return entries.get(key);
  }

  public Change put(String key, Payload value) {
    Payload before = entries.put(key, value);
    return new Change(before, value, true, null);
  }

  public Change putIfAbsent(String key, Payload value) {
    Payload before = entries.get(key);
    if (before != null) {
      return new Change(before, before, false, null);
    }
    entries.put(key, value);
    return new Change(null, value, true, null);
  }

  public Change remove(String key) {
    Payload before = entries.remove(key);
    return new Change(before, null, before != null, null);
  }

  public Change update(String key, Operation operation) {
    Payload before = entries.get(key);
    Operation.Outcome outcome = operation.apply(before);
    if (outcome.refused()) {
      return new Change(before, before, false, refused(key, outcome));
    }
    if (outcome.applied()) {
      entries.put(key, outcome.value());
    }
    return new Change(
        before, outcome.applied() ? outcome.value() : before, outcome.applied(), null);
  }

  public int size() {
    return entries.size();
  }

  /** A copy of the entries, in insertion order. */
  public Map<String, Payload> snapshot() {
    return new LinkedHashMap<>(entries);
  }

  private static String refused(String key, Operation.Outcome outcome) {
    return "'" + key + "': " + outcome.refusal();
  }

  private static Applied rejected(String reason) {
    return new Applied(new SharedMap.Rejected(reason), null);
  }

  private static SharedMap.Changed changed(String key, Change change) {
    return change.applied() ? new SharedMap.Changed(key, change.before(), change.after()) : null;
  }
}
