package dev.actorkit.patterns.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers a shared map or list gave to the last {@code capacity} request ids, so that a caller
 * who retries a write after a lost answer gets the first answer again instead of a second write.
 * The oldest id is forgotten first; a retry that comes after {@code capacity} other ids is applied
 * again, so the window is a setting ({@link SharedMap.Settings}). Costs one map entry per
 * remembered id; not thread-safe (one actor owns it).
 */
final class RequestWindow<R> {

  private final Map<String, R> answers;

  RequestWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "a request window remembers at least 1 id, got " + capacity);
    }
    this.answers =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, R> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The answer already given to {@code requestId}, if it is remembered. */
  Optional<R> answered(String requestId) {
    return Optional.ofNullable(answers.get(requestId));
  }

  /** Remembers {@code answer} for {@code requestId} and returns it. */
  R remember(String requestId, R answer) {
    answers.put(requestId, answer);
    return answer;
  }
}
