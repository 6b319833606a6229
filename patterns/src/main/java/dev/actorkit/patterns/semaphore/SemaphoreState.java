package dev.actorkit.patterns.semaphore;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pure state machine of a counting semaphore: permits, who holds how many, who waits in which
 * order. No actor in it, so property tests drive it against a reference model.
 *
 * <h2>Fairness: strict FIFO, no barging</h2>
 *
 * Requests are served in arrival order. A request is granted at once only if nobody is waiting and
 * enough permits are free; otherwise it joins the tail of the queue. When permits come back,
 * waiters are granted from the head for as long as the head's request fits; the first head that
 * does not fit stops the granting, even if smaller requests behind it would fit. So a large request
 * at the head is never starved by a stream of small ones: they queue behind it and the permits they
 * would have taken accumulate until it fits (as {@code java.util.concurrent.Semaphore} does in fair
 * mode). The price is that permits may stay free while a large head waits.
 *
 * <h2>Bounded and unbounded</h2>
 *
 * A bounded semaphore (Python's {@code BoundedSemaphore}, the default) refuses a release of more
 * permits than the owner holds. An unbounded one (Python's {@code Semaphore}) takes the owner's
 * permits back first and adds the rest as new permits, so the total grows.
 *
 * <h2>Fencing tokens</h2>
 *
 * Every grant, at once or from the queue, gets the next token of one counter ({@link #lastToken}),
 * so a later grant always has a greater token than an earlier one.
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
  private long lastToken;

  /** The queue, and one record per owner with the permits it holds. */
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

  /** The token of the latest grant; 0 before the first. */
  public long lastToken() {
    return lastToken;
  }

  public boolean bounded() {
    return bounded;
  }

  /** Permits {@code owner} holds now. */
  public int heldBy(K owner) {
    WaitQueue.Owner<K, A> record = queue.owner(owner);
    return record == null ? 0 : record.held;
  }

  /** Holders with their permits, in the order the semaphore first heard of them. */
  public Map<K, Integer> holders() {
    Map<K, Integer> copy = new LinkedHashMap<>();
    for (WaitQueue.Owner<K, A> owner : queue.owners()) {
      if (owner.held > 0) {
        copy.put(owner.key(), owner.held);
      }
    }
    return copy;
  }

  /** Live waiters in queue order (O(n); for status and tests). */
  public List<Waiter<K, A>> waiters() {
    return queue.snapshot();
  }

  public int waiting() {
    return queue.size();
  }

  /**
   * Whether the state has a record of {@code owner}: it has held or waited here and has not died
   * since. The actor watches exactly these owners.
   */
  public boolean knows(K owner) {
    return queue.owner(owner) != null;
  }

  /** Why a request for {@code permits} is refused, or null if it may be made. */
  public String refuseAcquire(int permits) {
    return acquireRefusal(total, permits);
  }

  /** The rule for requests, for every semaphore's state: why {@code permits} may not be asked. */
  public static String acquireRefusal(int total, int permits) {
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

  /**
   * Grants {@code permits} to {@code owner} now; call only when {@link #canGrantNow} said so.
   *
   * @return the grant's fencing token
   */
  public long grantNow(K owner, int permits) {
    if (!canGrantNow(permits)) {
      throw new IllegalStateException(
          "cannot grant " + permits + " now: " + available + " free, " + waiting() + " waiting");
    }
    queue.ownerOrNew(owner).held += permits;
    available -= permits;
    return ++lastToken;
  }

  /** Queues a request at the tail; it is granted later by {@link #grantWaiting}. */
  public Waiter<K, A> enqueue(K owner, int permits, A attachment) {
    return queue.add(queue.ownerOrNew(owner), permits, false, attachment);
  }

  /**
   * Takes a waiter out of the queue because its deadline passed. Its leaving may let the waiters
   * behind it in, so call {@link #grantWaiting} next.
   *
   * @return false if it was no longer waiting
   */
  public boolean cancel(Waiter<K, A> waiter) {
    return queue.cancel(waiter);
  }

  /** Why {@code owner} may not release {@code permits}, or null if it may. */
  public String refuseRelease(K owner, int permits) {
    return releaseRefusal(bounded, total, available, owner, heldBy(owner), permits);
  }

  /**
   * The rule for releases, for every semaphore's state (this one, and a durable semaphore's
   * record): why {@code owner}, holding {@code holds}, may not release {@code permits} of a
   * semaphore with {@code total} permits of which {@code available} are free, or null if it may.
   */
  public static String releaseRefusal(
      boolean bounded, int total, int available, Object owner, int holds, int permits) {
    if (permits <= 0) {
      return "permits must be positive, got " + permits;
    }
    if (bounded && permits > holds) {
      return "release of "
          + permits
          + " permits by "
          + owner
          + ", which holds "
          + holds
          + " (bounded semaphore)";
    }
    long created = permits - (long) Math.min(holds, permits);
    if (total + created > Integer.MAX_VALUE || available + (long) permits > Integer.MAX_VALUE) {
      return "release of "
          + permits
          + " permits would take the semaphore past "
          + Integer.MAX_VALUE
          + " permits";
    }
    return null;
  }

  /**
   * Gives back {@code permits} of {@code owner}; in an unbounded semaphore any beyond what it holds
   * become new permits. Call {@link #grantWaiting} next.
   */
  public void release(K owner, int permits) {
    String refusal = refuseRelease(owner, permits);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    WaitQueue.Owner<K, A> record = queue.owner(owner);
    int returned = record == null ? 0 : Math.min(record.held, permits);
    if (returned > 0) {
      record.held -= returned;
    }
    int created = permits - returned;
    total += created;
    available += permits;
  }

  /**
   * {@code owner} died: its permits come back and its waits leave the queue (each handed to {@code
   * dropped}, so the actor can cancel its timer), and its record is forgotten. Call {@link
   * #grantWaiting} next.
   *
   * @return the permits it held
   */
  public int ownerDied(K owner, Consumer<Waiter<K, A>> dropped) {
    queue.cancelAllOf(owner, dropped);
    WaitQueue.Owner<K, A> record = queue.owner(owner);
    if (record == null) {
      return 0;
    }
    int holds = record.held;
    record.held = 0;
    available += holds;
    queue.forget(owner);
    return holds;
  }

  /**
   * Grants waiters from the head of the queue while the head's request fits, handing each to {@code
   * granted} with its token. O(1) per grant.
   *
   * @return how many were granted
   */
  public int grantWaiting(WaitQueue.OnGrant<K, A> granted) {
    int count = 0;
    Waiter<K, A> head = queue.head();
    while (head != null && head.amount() <= available) {
      queue.grantHead();
      head.ownerRecord().held += head.amount();
      available -= head.amount();
      granted.granted(head, ++lastToken);
      count++;
      head = queue.head();
    }
    return count;
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
    return "SemaphoreState["
        + available
        + "/"
        + total
        + " free, holders "
        + holders()
        + ", "
        + waiting()
        + " waiting]";
  }
}
