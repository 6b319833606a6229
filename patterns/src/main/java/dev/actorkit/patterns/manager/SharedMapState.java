package dev.actorkit.patterns.manager;

import dev.actorkit.core.Payload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pure state of a {@link SharedMap}: string keys to payloads, in insertion order. Every method
 * is one atomic step of the server; none blocks, none touches an actor.
 */
final class SharedMapState {

  /**
   * What a write did: the value before and after ({@code null} for absent), or why it was refused.
   */
  record Change(Payload before, Payload after, boolean applied, String refusal) {}

  private final Map<String, Payload> entries = new LinkedHashMap<>();

  Payload get(String key) {
    return entries.get(key);
  }

  Change put(String key, Payload value) {
    Payload before = entries.put(key, value);
    return new Change(before, value, true, null);
  }

  Change putIfAbsent(String key, Payload value) {
    Payload before = entries.get(key);
    if (before != null) {
      return new Change(before, before, false, null);
    }
    entries.put(key, value);
    return new Change(null, value, true, null);
  }

  Change remove(String key) {
    Payload before = entries.remove(key);
    return new Change(before, null, before != null, null);
  }

  Change update(String key, Operation operation) {
    Payload before = entries.get(key);
    Operation.Outcome outcome = operation.apply(before);
    if (outcome.refused()) {
      return new Change(before, before, false, "'" + key + "': " + outcome.refusal());
    }
    if (outcome.applied()) {
      entries.put(key, outcome.value());
    }
    return new Change(
        before, outcome.applied() ? outcome.value() : before, outcome.applied(), null);
  }

  int size() {
    return entries.size();
  }

  Map<String, Payload> snapshot() {
    return new LinkedHashMap<>(entries);
  }
}
