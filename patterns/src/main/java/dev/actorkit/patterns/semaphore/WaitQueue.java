package dev.actorkit.patterns.semaphore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The FIFO queue of waiters behind {@link SemaphoreState} and {@link ReadWriteLockState}: every
 * operation a grant needs is O(1), however many waiters are queued.
 *
 * <p>Waiters sit in an {@link ArrayDeque} in arrival order. A waiter that leaves early (its
 * deadline passed, or its owner died) is only marked {@link Waiter.Status#CANCELLED} — a tombstone
 * — and is skipped when it reaches the head; when tombstones outnumber live waiters (and there are
 * more than a few) the deque is compacted once, so the cost of a cancellation stays O(1) amortized
 * and the deque never holds more than about twice the live waiters.
 *
 * <p>Each owner has one {@link Owner} record, found by one map lookup when a request or release
 * arrives and reached from its waiters by a pointer afterwards: it carries what the owner holds (a
 * count the state keeps) and the owner's waits, linked to each other through the waiters
 * themselves, so a grant needs no map operation and dropping the waits of an owner that died costs
 * only as many steps as it has waits. A record stays until {@link #forget} (the owner's death), so
 * an owner that comes back does not allocate a new one.
 *
 * <p>Not thread-safe: it belongs to one actor.
 *
 * @param <K> the owner key (an {@code ActorRef} in the actors)
 * @param <A> what the actor attaches to a waiter (its reply reference)
 */
public final class WaitQueue<K, A> {

  /** Compaction waits until at least this many tombstones sit in the deque. */
  private static final int COMPACT_MIN = 64;

  private final ArrayDeque<Waiter<K, A>> deque = new ArrayDeque<>();
  private final Map<K, Owner<K, A>> owners = new LinkedHashMap<>();
  private int live;
  private int tombstones;
  private long nextId;

  /**
   * What a state hands each waiter it grants, with the grant's fencing token: strictly greater than
   * every token the same state granted before.
   */
  @FunctionalInterface
  public interface OnGrant<K, A> {
    void granted(Waiter<K, A> waiter, long token);
  }

  /** Everything about one owner: what it holds (kept by the state) and its waits. */
  public static final class Owner<K, A> {
    private final K key;

    /** What the owner holds: permits of a semaphore, read locks of a read-write lock. */
    int held;

    private Waiter<K, A> lastWait;

    private Owner(K key) {
      this.key = key;
    }

    public K key() {
      return key;
    }

    public int held() {
      return held;
    }

    /** Whether the owner has a wait in the queue. */
    public boolean isWaiting() {
      return lastWait != null;
    }
  }

  /**
   * One queued request: a handle the actor keeps (for its timer) and the state hands back on a
   * grant.
   */
  public static final class Waiter<K, A> {

    /** Where a waiter is in its life. */
    public enum Status {
      WAITING,
      GRANTED,
      CANCELLED
    }

    private final long id;
    private final Owner<K, A> owner;
    private final int amount;
    private final boolean exclusive;
    private final A attachment;
    private Status status = Status.WAITING;
    private Waiter<K, A> previousOfOwner;
    private Waiter<K, A> nextOfOwner;

    private Waiter(long id, Owner<K, A> owner, int amount, boolean exclusive, A attachment) {
      this.id = id;
      this.owner = owner;
      this.amount = amount;
      this.exclusive = exclusive;
      this.attachment = attachment;
    }

    /** Arrival number, unique in its queue; later arrivals have larger ids. */
    public long id() {
      return id;
    }

    public K owner() {
      return owner.key;
    }

    /** The owner's record, reached without a lookup. */
    public Owner<K, A> ownerRecord() {
      return owner;
    }

    /** Permits asked for (1 for a read-write lock). */
    public int amount() {
      return amount;
    }

    /** True for a writer of a read-write lock. */
    public boolean exclusive() {
      return exclusive;
    }

    public A attachment() {
      return attachment;
    }

    public Status status() {
      return status;
    }

    /** True while the waiter is still queued. */
    public boolean isWaiting() {
      return status == Status.WAITING;
    }

    @Override
    public String toString() {
      return "#"
          + id
          + " "
          + owner.key
          + " x"
          + amount
          + (exclusive ? " (exclusive)" : "")
          + " "
          + status;
    }
  }

  /** The record of {@code key}, or null if it has none. */
  public Owner<K, A> owner(K key) {
    return owners.get(key);
  }

  /** The record of {@code key}, made if it has none yet. */
  public Owner<K, A> ownerOrNew(K key) {
    Owner<K, A> owner = owners.get(key);
    if (owner == null) {
      owner = new Owner<>(key);
      owners.put(key, owner);
    }
    return owner;
  }

  /** Every owner record, in the order they were made. */
  public Iterable<Owner<K, A>> owners() {
    return owners.values();
  }

  /** Drops the record of an owner that holds nothing and waits for nothing (it died). */
  public void forget(K key) {
    Owner<K, A> owner = owners.get(key);
    if (owner != null) {
      if (owner.held != 0 || owner.lastWait != null) {
        throw new IllegalStateException("cannot forget " + key + ": it still holds or waits");
      }
      owners.remove(key);
    }
  }

  /** Queues a new waiter at the tail. */
  public Waiter<K, A> add(Owner<K, A> owner, int amount, boolean exclusive, A attachment) {
    Waiter<K, A> waiter = new Waiter<>(nextId++, owner, amount, exclusive, attachment);
    deque.addLast(waiter);
    Waiter<K, A> last = owner.lastWait;
    owner.lastWait = waiter;
    if (last != null) {
      last.nextOfOwner = waiter;
      waiter.previousOfOwner = last;
    }
    live++;
    return waiter;
  }

  /** How many waiters are queued (tombstones not counted). */
  public int size() {
    return live;
  }

  public boolean isEmpty() {
    return live == 0;
  }

  /** The oldest waiting waiter, or null. Drops tombstones it finds at the head. */
  public Waiter<K, A> head() {
    Waiter<K, A> head = deque.peekFirst();
    while (head != null && head.status != Waiter.Status.WAITING) {
      deque.pollFirst();
      tombstones--;
      head = deque.peekFirst();
    }
    return head;
  }

  /** Removes the head (which {@link #head()} just returned) because it is granted. */
  public Waiter<K, A> grantHead() {
    Waiter<K, A> head = head();
    if (head == null) {
      throw new IllegalStateException("no waiter to grant");
    }
    deque.pollFirst();
    head.status = Waiter.Status.GRANTED;
    unlink(head);
    live--;
    return head;
  }

  /**
   * Takes {@code waiter} out of the queue (its deadline passed). O(1): it stays in the deque as a
   * tombstone.
   *
   * @return false if it was no longer waiting (already granted or cancelled)
   */
  public boolean cancel(Waiter<K, A> waiter) {
    if (waiter.status != Waiter.Status.WAITING) {
      return false;
    }
    waiter.status = Waiter.Status.CANCELLED;
    unlink(waiter);
    live--;
    tombstones++;
    if (tombstones > COMPACT_MIN && tombstones > live) {
      deque.removeIf(queued -> queued.status != Waiter.Status.WAITING);
      tombstones = 0;
    }
    return true;
  }

  /** Cancels every wait of {@code owner}, newest first, handing each to {@code dropped}. */
  public void cancelAllOf(K key, Consumer<Waiter<K, A>> dropped) {
    Owner<K, A> owner = owners.get(key);
    Waiter<K, A> waiter = owner == null ? null : owner.lastWait;
    while (waiter != null) {
      Waiter<K, A> previous = waiter.previousOfOwner;
      cancel(waiter);
      dropped.accept(waiter);
      waiter = previous;
    }
  }

  /** Whether {@code key} has a wait in the queue. */
  public boolean hasWaits(K key) {
    Owner<K, A> owner = owners.get(key);
    return owner != null && owner.lastWait != null;
  }

  /** The live waiters in queue order: O(n), for status reports and tests. */
  public List<Waiter<K, A>> snapshot() {
    List<Waiter<K, A>> waiting = new ArrayList<>(live);
    for (Waiter<K, A> waiter : deque) {
      if (waiter.status == Waiter.Status.WAITING) {
        waiting.add(waiter);
      }
    }
    return waiting;
  }

  /** Deque slots in use, tombstones included: for tests of the compaction bound. */
  int slots() {
    return deque.size();
  }

  private void unlink(Waiter<K, A> waiter) {
    Waiter<K, A> previous = waiter.previousOfOwner;
    Waiter<K, A> next = waiter.nextOfOwner;
    if (previous != null) {
      previous.nextOfOwner = next;
    }
    if (next != null) {
      next.previousOfOwner = previous;
    } else {
      waiter.owner.lastWait = previous;
    }
    waiter.previousOfOwner = null;
    waiter.nextOfOwner = null;
  }
}
