package dev.actorkit.patterns.event;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The pure state of a {@link Barrier}: its parties, the generation, whether it is broken, and who
 * waits at it now.
 *
 * <p>Invariants: fewer than {@code parties} wait at any time; a broken barrier has nobody waiting;
 * every trip and every reset starts a new generation; a party's arrival index is its position in
 * the generation's arrivals (0 for the first, {@code parties - 1} for the one that trips it). Not
 * thread-safe: one actor owns it.
 *
 * @param <K> who waits
 * @param <A> what the owner attaches to a wait (its timer)
 */
public final class BarrierState<K, A> {

  /**
   * The barrier tripped: the generation that passed and its waiters, in arrival order (index =
   * position).
   */
  public record Tripped<K, A>(long generation, List<WaitList.Entry<K, A>> waiters) {}

  /**
   * The barrier broke because of {@code cause} (timed out or died); {@code others} were waiting and
   * must hear it.
   */
  public record Broke<K, A>(WaitList.Entry<K, A> cause, List<WaitList.Entry<K, A>> others) {}

  private final int parties;
  private final WaitList<K, A> waiters = new WaitList<>();
  private long generation;
  private boolean broken;

  public BarrierState(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least one party, was " + parties);
    }
    this.parties = parties;
  }

  public int parties() {
    return parties;
  }

  /** The current generation, counted from 0. */
  public long generation() {
    return generation;
  }

  public boolean isBroken() {
    return broken;
  }

  public int waiting() {
    return waiters.size();
  }

  public boolean isWaiting(K who) {
    return waiters.isWaiting(who);
  }

  /** Whether the next arrival completes the generation. */
  public boolean nextArrivalTrips() {
    return !broken && waiters.size() + 1 == parties;
  }

  /**
   * A party arrives and waits; only when the barrier is not broken and the arrival does not trip
   * it.
   */
  public WaitList.Entry<K, A> await(K who, Duration timeout, LongFunction<A> attach) {
    if (broken || nextArrivalTrips()) {
      throw new IllegalStateException("await on a broken barrier or one about to trip");
    }
    return waiters.add(who, timeout, attach);
  }

  /** The last party arrived: every waiter passes and a new generation begins. */
  public Tripped<K, A> trip() {
    if (!nextArrivalTrips()) {
      throw new IllegalStateException("the barrier is not one arrival short of tripping");
    }
    Tripped<K, A> tripped = new Tripped<>(generation, waiters.drain());
    generation++;
    return tripped;
  }

  /**
   * Breaks the barrier (a failed action, an abort, a zero-timeout arrival): returns those who were
   * waiting.
   */
  public List<WaitList.Entry<K, A>> breakBarrier() {
    broken = true;
    return waiters.drain();
  }

  /**
   * The wait with this id ran out: the barrier breaks. {@code null} if that wait was already
   * answered.
   */
  public Broke<K, A> expire(long id) {
    WaitList.Entry<K, A> entry = waiters.remove(id);
    if (entry == null) {
      return null;
    }
    broken = true;
    return new Broke<>(entry, waiters.drain());
  }

  /** {@code who} died: if it was waiting the barrier breaks; {@code null} if it was not waiting. */
  public Broke<K, A> partyDied(K who) {
    List<WaitList.Entry<K, A>> gone = waiters.removeAll(who);
    if (gone.isEmpty()) {
      return null;
    }
    broken = true;
    return new Broke<>(gone.get(0), waiters.drain());
  }

  /**
   * Re-arms the barrier in a new generation; returns those who were waiting (they hear {@code
   * Broken}).
   */
  public List<WaitList.Entry<K, A>> reset() {
    List<WaitList.Entry<K, A>> waiting = waiters.drain();
    broken = false;
    generation++;
    return waiting;
  }
}
