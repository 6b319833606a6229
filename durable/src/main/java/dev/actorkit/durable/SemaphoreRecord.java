package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreState;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link DurableSemaphore} keeps in the store, replaced as a whole on every change.
 * Immutable; every change returns a new record. The rules are those of the in-memory semaphore
 * ({@code SemaphoreState}): strict FIFO, a head that does not fit blocks everyone behind it,
 * bounded or not, and one token counter for every grant.
 *
 * @param total the permits the semaphore has (0: not created yet)
 * @param bounded whether releasing more than is held is refused
 * @param available the permits free now
 * @param lastToken the token of the latest grant; never goes down
 * @param nextWaitId the id the next waiter gets (its timer's key)
 * @param holders who holds how many, in the order they first got permits
 * @param waiters who waits for how many, first to be granted first
 */
public record SemaphoreRecord(
    int total,
    boolean bounded,
    int available,
    long lastToken,
    long nextWaitId,
    List<Held> holders,
    List<Waiting> waiters)
    implements KitMessage {

  /** A semaphore nobody has created yet. */
  public static final SemaphoreRecord EMPTY =
      new SemaphoreRecord(0, true, 0, 0, 1, List.of(), List.of());

  public SemaphoreRecord {
    holders = List.copyOf(holders);
    waiters = List.copyOf(waiters);
  }

  /** An owner and the permits it holds. */
  public record Held(ActorRef<?> owner, int permits) implements KitMessage {}

  /**
   * One waiter: its owner, where its grant goes, how many permits, its id, and when its wait runs
   * out (epoch milliseconds, 0 for never) after how long (real milliseconds).
   */
  public record Waiting(
      ActorRef<?> owner,
      ActorRef<Semaphore.Reply> replyTo,
      int permits,
      long waitId,
      long deadlineMillis,
      long timeoutMillis)
      implements KitMessage {}

  /** A waiter granted from the queue, with its token. */
  public record Grant(Waiting waiting, long token) {}

  /** This record after one change, and the waiters that change let in. */
  public record Changed(SemaphoreRecord record, List<Grant> grants) {}

  /** Whether {@code created} has been called: a semaphore has at least one permit. */
  public boolean exists() {
    return total > 0;
  }

  /** A new semaphore with {@code permits} permits. */
  public SemaphoreRecord created(int permits, boolean bounded) {
    return new SemaphoreRecord(permits, bounded, permits, lastToken, nextWaitId, holders, waiters);
  }

  /** How many permits {@code owner} holds. */
  public int heldBy(ActorRef<?> owner) {
    for (Held held : holders) {
      if (held.owner().equals(owner)) {
        return held.permits();
      }
    }
    return 0;
  }

  /** Why a request for {@code permits} is refused, or null: the in-memory rule. */
  public String refuseAcquire(int permits) {
    return SemaphoreState.acquireRefusal(total, permits);
  }

  /** Whether {@code permits} can be granted now: nobody waits and enough are free. */
  public boolean canGrantNow(int permits) {
    return waiters.isEmpty() && available >= permits;
  }

  /** This record with {@code permits} granted to {@code owner} now, with the next token. */
  public SemaphoreRecord grantNow(ActorRef<?> owner, int permits) {
    return new SemaphoreRecord(
        total,
        bounded,
        available - permits,
        lastToken + 1,
        nextWaitId,
        adding(holders, owner, permits),
        waiters);
  }

  /** This record with {@code waiting} queued at the tail. */
  public SemaphoreRecord enqueue(Waiting waiting) {
    List<Waiting> longer = new ArrayList<>(waiters);
    longer.add(waiting);
    return new SemaphoreRecord(
        total, bounded, available, lastToken, nextWaitId + 1, holders, longer);
  }

  /** Why {@code owner} may not release {@code permits}, or null: the in-memory rule. */
  public String refuseRelease(ActorRef<?> owner, int permits) {
    return SemaphoreState.releaseRefusal(bounded, total, available, owner, heldBy(owner), permits);
  }

  /**
   * This record with {@code permits} of {@code owner} given back (in an unbounded semaphore those
   * beyond what it holds become new permits), and the waiters that now fit granted.
   */
  public Changed release(ActorRef<?> owner, int permits) {
    int returned = Math.min(heldBy(owner), permits);
    SemaphoreRecord released =
        new SemaphoreRecord(
            total + (permits - returned),
            bounded,
            available + permits,
            lastToken,
            nextWaitId,
            adding(holders, owner, -returned),
            waiters);
    return released.grantWaiting();
  }

  /** This record without the holdings and waits of {@code owner}, who died. */
  public Changed ownerDied(ActorRef<?> owner) {
    int freed = heldBy(owner);
    List<Waiting> rest = new ArrayList<>(waiters);
    rest.removeIf(waiting -> waiting.owner().equals(owner));
    SemaphoreRecord gone =
        new SemaphoreRecord(
            total,
            bounded,
            available + freed,
            lastToken,
            nextWaitId,
            adding(holders, owner, -freed),
            rest);
    return gone.grantWaiting();
  }

  /** This record without the wait {@code waitId} (it ran out), and whoever may now go first. */
  public Changed withoutWait(long waitId) {
    List<Waiting> rest = new ArrayList<>(waiters);
    rest.removeIf(waiting -> waiting.waitId() == waitId);
    return new SemaphoreRecord(total, bounded, available, lastToken, nextWaitId, holders, rest)
        .grantWaiting();
  }

  /** {@code waitId}'s wait, or null. */
  public Waiting waitOf(long waitId) {
    for (Waiting waiting : waiters) {
      if (waiting.waitId() == waitId) {
        return waiting;
      }
    }
    return null;
  }

  /** Whether {@code ref} holds or waits: whether the semaphore must watch it. */
  public boolean involves(ActorRef<?> ref) {
    return heldBy(ref) > 0 || waiters.stream().anyMatch(waiting -> waiting.owner().equals(ref));
  }

  /** Every owner the semaphore watches. */
  public List<ActorRef<?>> involved() {
    List<ActorRef<?>> refs = new ArrayList<>();
    holders.forEach(held -> refs.add(held.owner()));
    waiters.forEach(waiting -> refs.add(waiting.owner()));
    return refs;
  }

  /** Grants from the head while the head's request fits, each with the next token. */
  private Changed grantWaiting() {
    List<Waiting> queue = new ArrayList<>(waiters);
    List<Held> held = holders;
    int free = available;
    long token = lastToken;
    List<Grant> grants = new ArrayList<>();
    while (!queue.isEmpty() && queue.get(0).permits() <= free) {
      Waiting head = queue.remove(0);
      free -= head.permits();
      held = adding(held, head.owner(), head.permits());
      grants.add(new Grant(head, ++token));
    }
    return new Changed(
        new SemaphoreRecord(total, bounded, free, token, nextWaitId, held, queue), grants);
  }

  /** {@code holders} with {@code owner}'s permits changed by {@code delta}; none left: removed. */
  private static List<Held> adding(List<Held> holders, ActorRef<?> owner, int delta) {
    if (delta == 0) {
      return holders;
    }
    List<Held> changed = new ArrayList<>();
    boolean found = false;
    for (Held held : holders) {
      if (held.owner().equals(owner)) {
        found = true;
        if (held.permits() + delta > 0) {
          changed.add(new Held(owner, held.permits() + delta));
        }
      } else {
        changed.add(held);
      }
    }
    if (!found && delta > 0) {
      changed.add(new Held(owner, delta));
    }
    return changed;
  }
}
