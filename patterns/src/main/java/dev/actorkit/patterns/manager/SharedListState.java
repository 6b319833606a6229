package dev.actorkit.patterns.manager;

import dev.actorkit.core.Payload;
import java.util.ArrayList;
import java.util.List;

/** The pure state of a {@link SharedList}: payloads by index. One atomic step per method. */
final class SharedListState {

  /** What a write did at {@code index}, or why it was refused. */
  record Change(int index, Payload before, Payload after, boolean applied, String refusal) {}

  private final List<Payload> elements = new ArrayList<>();

  int append(Payload value) {
    elements.add(value);
    return elements.size() - 1;
  }

  /**
   * The element at {@code index}; negative indexes count from the end, as in Python. Null if out of
   * range.
   */
  Payload get(int index) {
    int at = resolve(index);
    return at < 0 ? null : elements.get(at);
  }

  Change set(int index, Payload value) {
    int at = resolve(index);
    if (at < 0) {
      return outOfRange(index);
    }
    Payload before = elements.set(at, value);
    return new Change(at, before, value, true, null);
  }

  Change update(int index, Operation operation) {
    int at = resolve(index);
    if (at < 0) {
      return outOfRange(index);
    }
    Payload before = elements.get(at);
    Operation.Outcome outcome = operation.apply(before);
    if (outcome.refused()) {
      return new Change(at, before, before, false, "index " + index + ": " + outcome.refusal());
    }
    if (outcome.applied()) {
      elements.set(at, outcome.value());
    }
    return new Change(
        at, before, outcome.applied() ? outcome.value() : before, outcome.applied(), null);
  }

  int size() {
    return elements.size();
  }

  List<Payload> snapshot() {
    return List.copyOf(elements);
  }

  String rangeError(int index) {
    return "list index " + index + " out of range (size " + elements.size() + ")";
  }

  private Change outOfRange(int index) {
    return new Change(index, null, null, false, rangeError(index));
  }

  private int resolve(int index) {
    int at = index < 0 ? elements.size() + index : index;
    return at >= 0 && at < elements.size() ? at : -1;
  }
}
