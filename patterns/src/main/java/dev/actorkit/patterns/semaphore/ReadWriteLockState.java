package dev.actorkit.patterns.semaphore;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pure state machine of a read-write lock: many readers or one writer, a FIFO queue, and writer
 * preference against streams of readers. No actor in it.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Readers share, a writer is alone:</b> while a writer holds the lock nobody else does;
 *       any number of readers may hold it together.
 *   <li><b>FIFO with reader batches:</b> waiters are served in arrival order. A writer at the head
 *       gets the lock when nobody holds it; readers at the head are let in together, all the
 *       consecutive readers up to the next waiting writer.
 *   <li><b>Writer preference against reader streams:</b> a new reader gets the lock at once only if
 *       no writer holds it and <em>nobody waits</em>. Once a writer waits, readers that come after
 *       it queue behind it, so the readers inside drain out and the writer gets in: a stream of
 *       readers can never starve a writer. Readers that queued behind the writer are let in right
 *       after it (so writers cannot starve readers either).
 *   <li><b>Reentrant reads:</b> an owner that already holds a read lock gets another at once, even
 *       past waiting writers (otherwise it would deadlock against a writer waiting for it).
 *   <li><b>No upgrade, no reentrant write:</b> a read holder asking to write, or the writer asking
 *       again for either mode, is refused; {@link #downgrade} turns a write lock into a read lock
 *       atomically.
 *   <li><b>One wait per owner:</b> an owner that already waits is refused a second wait (a read
 *       queued ahead of its own write would leave the write waiting for itself).
 * </ul>
 *
 * <p><b>Fencing tokens:</b> every grant, read or write, gets the next token of one counter ({@link
 * #lastToken}); a downgrade keeps the write grant's token. So a writer's token is greater than the
 * token of every grant made before it, and a resource that refuses writes carrying a smaller token
 * than the latest writer's shuts out a writer that lost the lock.
 *
 * <p>Every grant costs O(1) however many waiters are queued. Not thread-safe.
 *
 * @param <K> the owner key
 * @param <A> what the actor attaches to a waiter
 */
public final class ReadWriteLockState<K, A> {

  private final Map<K, int[]> readers = new LinkedHashMap<>();
  private int readHolds;
  private K writer;
  private long lastToken;
  private final WaitQueue<K, A> queue = new WaitQueue<>();

  /** A free lock: no writer, no readers, nobody waiting, token 0. */
  public ReadWriteLockState() {}

  /**
   * A lock rebuilt from its parts, as a durable record keeps them: {@code writer} (or null), the
   * read holders with how many read locks each holds (in the order they got in), and the token of
   * the latest grant. Queue the waiters next, in order, with {@link #enqueue}. The parts are taken
   * as they are: a writer together with readers is refused.
   */
  public static <K, A> ReadWriteLockState<K, A> restored(
      K writer, Map<K, Integer> readers, long lastToken) {
    if (writer != null && !readers.isEmpty()) {
      throw new IllegalArgumentException(
          "a writer (" + writer + ") and readers " + readers + " cannot hold the lock together");
    }
    ReadWriteLockState<K, A> state = new ReadWriteLockState<>();
    state.writer = writer;
    readers.forEach(
        (owner, count) -> {
          if (count < 1) {
            throw new IllegalArgumentException(owner + " holds " + count + " read locks");
          }
          state.readers.put(owner, new int[] {count});
          state.readHolds += count;
        });
    state.lastToken = lastToken;
    return state;
  }

  /** The owner holding the write lock, or null. */
  public K writer() {
    return writer;
  }

  /** Read holders with how many read locks each holds, in the order they got them. */
  public Map<K, Integer> readers() {
    Map<K, Integer> copy = new LinkedHashMap<>();
    readers.forEach((owner, count) -> copy.put(owner, count[0]));
    return copy;
  }

  /** Read locks held in all (an owner holding two counts twice). */
  public int readHolds() {
    return readHolds;
  }

  public int readCountOf(K owner) {
    int[] count = readers.get(owner);
    return count == null ? 0 : count[0];
  }

  /** Live waiters in queue order (O(n)). */
  public List<Waiter<K, A>> waiters() {
    return queue.snapshot();
  }

  public int waiting() {
    return queue.size();
  }

  /** Whether {@code owner} holds or waits for anything here. */
  public boolean knows(K owner) {
    return owner.equals(writer) || readers.containsKey(owner) || queue.hasWaits(owner);
  }

  /** Why {@code owner} may not ask for a lock in this mode, or null. */
  public String refuseAcquire(K owner, boolean write) {
    if (owner.equals(writer)) {
      return owner + " already holds the write lock (not reentrant; use downgrade to read)";
    }
    if (write && readers.containsKey(owner)) {
      return owner
          + " holds a read lock and asks to write: upgrading is not supported, release the read lock first";
    }
    WaitQueue.Owner<K, A> record = queue.owner(owner);
    if (record != null && record.isWaiting()) {
      // A read queued ahead of its own write would, once granted, leave the write waiting for
      // itself.
      return owner + " already waits for the lock: one wait at a time per owner";
    }
    return null;
  }

  /** Whether the request can be granted now (see the class rules). */
  public boolean canGrantNow(K owner, boolean write) {
    if (write) {
      return writer == null && readHolds == 0 && queue.isEmpty();
    }
    return writer == null && (queue.isEmpty() || readers.containsKey(owner));
  }

  /** The token of the latest grant; 0 before the first. */
  public long lastToken() {
    return lastToken;
  }

  /**
   * Grants now; call only when {@link #canGrantNow} said so.
   *
   * @return the grant's fencing token
   */
  public long grantNow(K owner, boolean write) {
    if (!canGrantNow(owner, write)) {
      throw new IllegalStateException(
          "cannot grant " + (write ? "write" : "read") + " to " + owner + " now");
    }
    take(owner, write);
    return ++lastToken;
  }

  /** Queues a request at the tail. */
  public Waiter<K, A> enqueue(K owner, boolean write, A attachment) {
    return queue.add(queue.ownerOrNew(owner), 1, write, attachment);
  }

  /** Takes a waiter out (deadline passed); call {@link #grantWaiting} next. */
  public boolean cancel(Waiter<K, A> waiter) {
    return queue.cancel(waiter);
  }

  /** Why {@code owner} may not release this mode, or null. */
  public String refuseRelease(K owner, boolean write) {
    if (write && !owner.equals(writer)) {
      return owner + " does not hold the write lock";
    }
    if (!write && !readers.containsKey(owner)) {
      return owner + " holds no read lock";
    }
    return null;
  }

  /** Releases one lock of this mode; call {@link #grantWaiting} next. */
  public void release(K owner, boolean write) {
    String refusal = refuseRelease(owner, write);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    if (write) {
      writer = null;
    } else {
      dropRead(owner, 1);
    }
  }

  /** Why {@code owner} may not downgrade, or null. */
  public String refuseDowngrade(K owner) {
    return owner.equals(writer)
        ? null
        : owner + " does not hold the write lock, so it cannot downgrade";
  }

  /** Turns the owner's write lock into a read lock atomically; call {@link #grantWaiting} next. */
  public void downgrade(K owner) {
    String refusal = refuseDowngrade(owner);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    writer = null;
    take(owner, false);
  }

  /**
   * {@code owner} died: it holds nothing and waits for nothing any more. Call {@link #grantWaiting}
   * next.
   */
  public void ownerDied(K owner, Consumer<Waiter<K, A>> dropped) {
    queue.cancelAllOf(owner, dropped);
    if (owner.equals(writer)) {
      writer = null;
    }
    int reads = readCountOf(owner);
    if (reads > 0) {
      dropRead(owner, reads);
    }
    queue.forget(owner);
  }

  /**
   * Grants from the head: a writer when nobody holds the lock, or every consecutive reader while no
   * writer holds it, each handed to {@code granted} with its token. O(1) per grant.
   */
  public int grantWaiting(WaitQueue.OnGrant<K, A> granted) {
    int count = 0;
    Waiter<K, A> head = queue.head();
    while (head != null && writer == null && (!head.exclusive() || readHolds == 0)) {
      queue.grantHead();
      take(head.owner(), head.exclusive());
      granted.granted(head, ++lastToken);
      count++;
      head = queue.head();
    }
    return count;
  }

  private void take(K owner, boolean write) {
    if (write) {
      writer = owner;
      return;
    }
    readHolds++;
    int[] count = readers.get(owner);
    if (count == null) {
      readers.put(owner, new int[] {1});
    } else {
      count[0]++;
    }
  }

  private void dropRead(K owner, int reads) {
    int[] count = readers.get(owner);
    count[0] -= reads;
    readHolds -= reads;
    if (count[0] == 0) {
      readers.remove(owner);
    }
  }

  @Override
  public String toString() {
    return "ReadWriteLockState[writer "
        + writer
        + ", readers "
        + readers()
        + ", "
        + waiting()
        + " waiting]";
  }
}
