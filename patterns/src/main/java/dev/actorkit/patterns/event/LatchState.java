package dev.actorkit.patterns.event;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The pure state of a {@link Latch}: how many count-downs remain, and who waits for none to remain.
 *
 * <p>Invariants: the count never goes below zero (a count-down at zero is refused and changes
 * nothing); while the count is zero nobody waits; the count-down that reaches zero hands back every
 * wait, in arrival order, exactly once. Not thread-safe: one actor owns it.
 *
 * @param <K> who waits
 * @param <A> what the owner attaches to a wait (its timer)
 */
public final class LatchState<K, A> {

  /**
   * What a count-down did: refused (the count was already zero), or the count left and who to wake.
   */
  public record CountedDown<K, A>(
      boolean refused, long remaining, List<WaitList.Entry<K, A>> opened) {}

  private final WaitList<K, A> waiters = new WaitList<>();
  private long count;

  public LatchState(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("a latch's count must not be negative, was " + count);
    }
    this.count = count;
  }

  public long count() {
    return count;
  }

  public boolean isOpen() {
    return count == 0;
  }

  public int waiting() {
    return waiters.size();
  }

  public boolean isWaiting(K who) {
    return waiters.isWaiting(who);
  }

  /** A wait arrives: {@code null} if the latch is open (answer at once), else the queued wait. */
  public WaitList.Entry<K, A> await(K who, Duration timeout, LongFunction<A> attach) {
    if (count == 0) {
      return null;
    }
    return waiters.add(who, timeout, attach);
  }

  /** Counts down by one; at zero it is refused and nothing changes. */
  public CountedDown<K, A> countDown() {
    if (count == 0) {
      return new CountedDown<>(true, 0, List.of());
    }
    count--;
    return new CountedDown<>(false, count, count == 0 ? waiters.drain() : List.of());
  }

  public WaitList.Entry<K, A> expire(long id) {
    return waiters.remove(id);
  }

  public List<WaitList.Entry<K, A>> drop(K who) {
    return waiters.removeAll(who);
  }
}
