package dev.actorkit.patterns.event;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The pure state of an {@link Event}: set or clear, and who waits for it to be set.
 *
 * <p>Invariant: while the event is set nobody waits. {@link #set()} hands back every wait, in
 * arrival order, exactly once; a wait that {@link #expire expired} or whose waiter {@link #drop
 * died} is never handed back. Not thread-safe: one actor owns it.
 *
 * @param <K> who waits
 * @param <A> what the owner attaches to a wait (its timer)
 */
public final class EventState<K, A> {

  private final WaitList<K, A> waiters = new WaitList<>();
  private boolean set;
  private long timesSet;

  public EventState(boolean initiallySet) {
    this.set = initiallySet;
  }

  public boolean isSet() {
    return set;
  }

  /** How many waits are pending. */
  public int waiting() {
    return waiters.size();
  }

  /** How many times the event went from clear to set. */
  public long timesSet() {
    return timesSet;
  }

  /** Whether {@code who} has a pending wait. */
  public boolean isWaiting(K who) {
    return waiters.isWaiting(who);
  }

  /**
   * A wait arrives. If the event is set it is answered at once and nothing is kept: returns {@code
   * null}. Otherwise the wait is queued, with the attachment built from its id.
   */
  public WaitList.Entry<K, A> await(K who, Duration timeout, LongFunction<A> attach) {
    if (set) {
      return null;
    }
    return waiters.add(who, timeout, attach);
  }

  /**
   * Sets the event. Returns every pending wait, in arrival order, all of which must now be woken;
   * none are left. Setting a set event changes nothing and returns none.
   */
  public List<WaitList.Entry<K, A>> set() {
    if (set) {
      return List.of();
    }
    set = true;
    timesSet++;
    return waiters.drain();
  }

  /** Clears the event so that new waits block again; returns whether it was set. */
  public boolean clear() {
    boolean was = set;
    set = false;
    return was;
  }

  /**
   * The wait with this id ran out of time: removed and returned, or {@code null} if already
   * answered.
   */
  public WaitList.Entry<K, A> expire(long id) {
    return waiters.remove(id);
  }

  /** {@code who} died: its pending waits are removed and returned. */
  public List<WaitList.Entry<K, A>> drop(K who) {
    return waiters.removeAll(who);
  }
}
