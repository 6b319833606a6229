package dev.actorkit.patterns.manager;

import dev.actorkit.core.RecentIds;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The answers a shared map or list gave to the last {@code capacity} request ids, so that a caller
 * who retries a write after a lost answer gets the first answer again instead of a second write.
 * The oldest id is forgotten first; a retry that comes after {@code capacity} other ids is applied
 * again, so the window is a setting ({@link SharedMap.Settings}). An id reused for a different
 * request is refused, not answered with another request's answer.
 *
 * <p>An actor that must decide before it applies (the durable map and list write an event first)
 * asks {@link #recall} and, once it has applied the request, {@link #remember}s the answer; {@link
 * #answer} does both in one step. Answers are never {@code null}.
 *
 * <p>Cost: one small record per remembered id in a {@link RecentIds} (whose Javadoc gives its
 * costs), and the answer keeps what it carries (a {@code Previous} holds the value that was
 * replaced), so a window of N ids over large values holds up to N of them. Not thread-safe (one
 * actor owns it).
 *
 * @param <R> the answers
 */
public final class RequestWindow<R> {

  /** What a request id was first used for, and the answer it got. */
  record Seen<R>(String requestId, String request, R answer) {}

  private final RecentIds<Seen<R>> answers;

  /** A window of the last {@code capacity} request ids, at least 1. */
  public RequestWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "a request window remembers at least 1 id, got " + capacity);
    }
    this.answers = new RecentIds<>(capacity, Seen::requestId);
  }

  /**
   * The answer to {@code request} under {@code requestId}: the remembered one if the id was used
   * for the same request, {@code refused} (with the reason) if it is blank or was used for another,
   * else {@code apply}'s, which is then remembered. {@code apply} runs at most once per remembered
   * id.
   */
  public R answer(
      String requestId, String request, Supplier<R> apply, Function<String, R> refused) {
    R known = recall(requestId, request, refused);
    return known != null ? known : remember(requestId, request, apply.get());
  }

  /**
   * The answer {@code requestId} has already: the remembered one if the id was used for the same
   * {@code request}, {@code refused} (with the reason) if it is blank or was used for another; or
   * {@code null} if the id is new, and {@code request} is to be applied and its answer remembered.
   * Changes nothing.
   */
  public R recall(String requestId, String request, Function<String, R> refused) {
    if (requestId == null || requestId.isBlank()) {
      return refused.apply("a request id must not be blank");
    }
    Seen<R> seen = answers.get(requestId);
    if (seen == null) {
      return null;
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

  /**
   * Remembers {@code answer} (not null) to {@code request} for {@code requestId}, forgetting the
   * oldest id if the window is full, and returns it.
   */
  public R remember(String requestId, String request, R answer) {
    answers.put(
        requestId, new Seen<>(requestId, request, Objects.requireNonNull(answer, "answer")));
    return answer;
  }
}
