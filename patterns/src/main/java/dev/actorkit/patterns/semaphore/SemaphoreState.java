package dev.actorkit.patterns.semaphore;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pure state machine of a counting semaphore: permits, who holds how many, who waits in
 * which order. No actor in it, so property tests drive it against a reference model.
 *
 * <h2>Fairness: strict FIFO, no barging</h2>
 *
 * Requests are served in arrival order. A request is granted at once only if nobody is waiting
 * and enough permits are free; otherwise it joins the tail of the queue. When permits come back,
 * waiters are granted from the head for as long as the head's request fits; the first head that
 * does not fit stops the granting, even if smaller requests behind it would fit. So a large
 * request at the head is never starved by a stream of small ones: they queue behind it and the
 * permits they would have taken accumulate until it fits (as {@code
 * java.util.concurrent.Semaphore} does in fair mode). The price is that permits may stay free
 * while a large head waits.
 *
 * <h2>Bounded and unbounded</h2>
 *
 * A bounded semaphore (Python's {@code BoundedSemaphore}, the default) refuses a release of more
 * permits than the owner holds. An unbounded one (Python's {@code Semaphore}) takes the owner's
 * permits back first and adds the rest as new permits, so the total grows.
 *
 * <p>Every grant costs O(1) however many waiters are queued (see {@link WaitQueue}). Not
 * thread-safe: it belongs to one actor.
 *
 * @param <K> the owner key (an {@code ActorRef} in the actor)
 * @param <A> what the actor attaches to a waiter (its reply reference)
 */
public final class SemaphoreState<K, A> {

  private final boolean bounded;
  private int total;
  private int available;
  /** Owners that hold permits, in the order they first got them; counts are mutable cells. */
  private final Map<K, int[]> held = new LinkedHashMap<>();
  private final WaitQueue<K, A> queue = new WaitQueue<>();

  public SemaphoreState(int permits, boolean bounded) {
    if (permits < 1) {
      throw new IllegalArgumentException("a semaphore needs at least one permit, got " + permits);
    }
    this.total = permits;
    this.available = permits;
    this.bounded = bounded;
  }

  public int total() {
    return total;
  }

  public int available() {
    return available;
  }

  public boolean bounded() {
    return bounded;
  }

  /** Permits {@code owner} holds now. */
  public int heldBy(K owner) {
    int[] count = held.get(owner);
    return count == null ? 0 : count[0];
  }

  /** Holders with their permits, in the order they first got them. */
  public Map<K, Integer> holders() {
    Map<K, Integer> copy = new LinkedHashMap<>();
    held.forEach((owner, count) -> copy.put(owner, count[0]));
    return copy;
  }

  /** Live waiters in queue order (O(n); for status and tests). */
  public List<Waiter<K, A>> waiters() {
    return queue.snapshot();
  }

  public int waiting() {
    return queue.size();
  }

  /** Whether the state holds anything of {@code owner} (permits or waits), so its death matters. */
  public boolean knows(K owner) {
    return held.containsKey(owner) || queue.hasWaits(owner);
  }

  /** Why a request for {@code permits} is refused, or null if it may be made. */
  public String refuseAcquire(int permits) {
    if (permits <= 0) {
      return "permits must be positive, got " + permits;
    }
    if (permits > total) {
      return "asked for " + permits + " permits but the semaphore has only " + total;
    }
    return null;
  }

  /** Whether {@code permits} can be granted now: nobody waits ahead and enough are free. */
  public boolean canGrantNow(int permits) {
    return queue.isEmpty() && available >= permits;
  }

  /** Grants {@code permits} to {@code owner} now; call only when {@link #canGrantNow} said so. */
  public void grantNow(K owner, int permits) {
    if (!canGrantNow(permits)) {
      throw new IllegalStateException("cannot grant " + permits + " now: " + available + " free, " + waiting() + " waiting");
    }
    take(owner, permits);
  }

  /** Queues a request at the tail; it is granted later by {@link #grantWaiting}. */
  public Waiter<K, A> enqueue(K owner, int permits, A attachment) {
    return queue.add(owner, permits, false, attachment);
  }

  /**
   * Takes a waiter out of the queue because its deadline passed. Its leaving may let the
   * waiters behind it in, so call {@link #grantWaiting} next.
   *
   * @return false if it was no longer waiting
   */
  public boolean cancel(Waiter<K, A> waiter) {
    return queue.cancel(waiter);
  }

  /** Why {@code owner} may not release {@code permits}, or null if it may. */
  public String refuseRelease(K owner, int permits) {
    if (permits <= 0) {
      return "permits must be positive, got " + permits;
    }
    int holds = heldBy(owner);
    if (bounded && permits > holds) {
      return "release of " + permits + " permits by " + owner + ", which holds " + holds + " (bounded semaphore)";
    }
    return null;
  }

  /**
   * Gives back {@code permits} of {@code owner}; in an unbounded semaphore any beyond what it
   * holds become new permits. Call {@link #grantWaiting} next.
   */
  public void release(K owner, int permits) {
    String refusal = refuseRelease(owner, permits);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    int holds = heldBy(owner);
    int returned = Math.min(holds, permits);
    if (returned > 0) {
      give(owner, returned);
    }
    int created = permits - returned;
    total += created;
    available += created;
  }

  /**
   * {@code owner} died: its permits come back and its waits leave the queue (each handed to
   * {@code dropped}, so the actor can cancel its timer). Call {@link #grantWaiting} next.
   *
   * @return the permits it held
   */
  public int ownerDied(K owner, Consumer<Waiter<K, A>> dropped) {
    queue.cancelAllOf(owner, dropped);
    int holds = heldBy(owner);
    if (holds > 0) {
      give(owner, holds);
    }
    return holds;
  }

  /**
   * Grants waiters from the head of the queue while the head's request fits, handing each to
   * {@code granted}. O(1) per grant.
   *
   * @return how many were granted
   */
  public int grantWaiting(Consumer<Waiter<K, A>> granted) {
    int count = 0;
    Waiter<K, A> head = queue.head();
    while (head != null && head.amount() <= available) {
      queue.grantHead();
      take(head.owner(), head.amount());
      granted.accept(head);
      count++;
      head = queue.head();
    }
    return count;
  }

  private void take(K owner, int permits) {
    available -= permits;
    int[] count = held.get(owner);
    if (count == null) {
      held.put(owner, new int[] {permits});
    } else {
      count[0] += permits;
    }
  }

  private void give(K owner, int permits) {
    int[] count = held.get(owner);
    count[0] -= permits;
    if (count[0] == 0) {
      held.remove(owner);
    }
    available += permits;
  }

  /** The waiters as (owner, permits) pairs, for messages. */
  List<Map.Entry<K, Integer>> waitingPairs() {
    List<Map.Entry<K, Integer>> pairs = new ArrayList<>();
    for (Waiter<K, A> waiter : queue.snapshot()) {
      pairs.add(Map.entry(waiter.owner(), waiter.amount()));
    }
    return pairs;
  }

  @Override
  public String toString() {
    Map<K, Integer> holders = new HashMap<>(holders());
    return "SemaphoreState[" + available + "/" + total + " free, holders " + holders + ", " + waiting() + " waiting]";
  }
}
