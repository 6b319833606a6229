package dev.actorkit.patterns.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The answers a shared map or list gave to the last {@code capacity} request ids, so that a caller
 * who retries a write after a lost answer gets the first answer again instead of a second write.
 * The oldest id is forgotten first; a retry that comes after {@code capacity} other ids is applied
 * again, so the window is a setting ({@link SharedMap.Settings}). An id reused for a different
 * request is refused, not answered with another request's answer.
 *
 * <p>Cost: one map entry per remembered id, and the answer keeps what it carries (a {@code
 * Previous} holds the value that was replaced), so a window of N ids over large values holds up to
 * N of them. Not thread-safe (one actor owns it).
 */
final class RequestWindow<R> {

  /** What a request id was first used for, and the answer it got. */
  record Seen<R>(String request, R answer) {}

  private final Map<String, Seen<R>> answers;

  RequestWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "a request window remembers at least 1 id, got " + capacity);
    }
    this.answers =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Seen<R>> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The answer to {@code request} under {@code requestId}: the remembered one if the id was used
   * for the same request, {@code refused} (with the reason) if it is blank or was used for another,
   * else {@code apply}'s, which is then remembered. {@code apply} runs at most once per remembered
   * id.
   */
  R answer(String requestId, String request, Supplier<R> apply, Function<String, R> refused) {
    if (requestId == null || requestId.isBlank()) {
      return refused.apply("a request id must not be blank");
    }
    Seen<R> seen = answers.get(requestId);
    if (seen == null) {
      return remember(requestId, request, apply.get());
    }
    if (seen.request().equals(request)) {
      return seen.answer();
    }
    return refused.apply(
        "request id '"
            + requestId
            + "' was used for "
            + seen.request()
            + "; a new request needs a new id");
  }

  /** Remembers {@code answer} to {@code request} for {@code requestId} and returns it. */
  R remember(String requestId, String request, R answer) {
    answers.put(requestId, new Seen<>(request, answer));
    return answer;
  }
}
