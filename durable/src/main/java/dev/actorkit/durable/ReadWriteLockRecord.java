package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockState;
import dev.actorkit.patterns.semaphore.WaitQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link DurableReadWriteLock} keeps in the store, replaced as a whole on every
 * change. Immutable. The rules are not here: each change rebuilds the in-memory {@link
 * ReadWriteLockState} from this record ({@link #state}), applies the rule there, and keeps the
 * result ({@link #of}), so the durable lock and the in-memory one grant in exactly the same order.
 * Rebuilding costs O(holders + waiters) per change, small beside the store write every change
 * makes.
 *
 * @param writer the owner holding the write lock, or null
 * @param readers the read holders with how many read locks each holds, in the order they got in
 * @param waiters who waits for which mode, first to be granted first
 * @param lastToken the token of the latest grant; never goes down
 * @param nextWaitId the id the next waiter gets (its timer's key)
 */
public record ReadWriteLockRecord(
    ActorRef<?> writer,
    List<Reading> readers,
    List<Waiting> waiters,
    long lastToken,
    long nextWaitId)
    implements KitMessage {

  /** A lock nobody has used yet: free, token 0. */
  public static final ReadWriteLockRecord EMPTY =
      new ReadWriteLockRecord(null, List.of(), List.of(), 0, 1);

  public ReadWriteLockRecord {
    readers = List.copyOf(readers);
    waiters = List.copyOf(waiters);
  }

  /** A read holder and how many read locks it holds. */
  public record Reading(ActorRef<?> owner, int locks) implements KitMessage {}

  /**
   * One waiter: its owner, where its grant goes, the mode it asks for, its id, and when its wait
   * runs out (epoch milliseconds) after how long (real milliseconds).
   */
  public record Waiting(
      ActorRef<?> owner,
      ActorRef<ReadWriteLock.Reply> replyTo,
      boolean write,
      long waitId,
      long deadlineMillis,
      long timeoutMillis)
      implements KitMessage {}

  /** The in-memory lock this record describes, to apply one rule to. */
  public ReadWriteLockState<ActorRef<?>, Waiting> state() {
    Map<ActorRef<?>, Integer> reading = new LinkedHashMap<>();
    readers.forEach(held -> reading.put(held.owner(), held.locks()));
    ReadWriteLockState<ActorRef<?>, Waiting> state =
        ReadWriteLockState.restored(writer, reading, lastToken);
    waiters.forEach(waiting -> state.enqueue(waiting.owner(), waiting.write(), waiting));
    return state;
  }

  /** The record of {@code state}, the next waiter to get {@code nextWaitId}. */
  public static ReadWriteLockRecord of(
      ReadWriteLockState<ActorRef<?>, Waiting> state, long nextWaitId) {
    List<Reading> reading = new ArrayList<>();
    state.readers().forEach((owner, locks) -> reading.add(new Reading(owner, locks)));
    List<Waiting> waiting = new ArrayList<>();
    for (WaitQueue.Waiter<ActorRef<?>, Waiting> waiter : state.waiters()) {
      waiting.add(waiter.attachment());
    }
    return new ReadWriteLockRecord(state.writer(), reading, waiting, state.lastToken(), nextWaitId);
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

  /** Whether {@code ref} holds or waits: whether the lock must watch it. */
  public boolean involves(ActorRef<?> ref) {
    return ref.equals(writer)
        || readers.stream().anyMatch(held -> held.owner().equals(ref))
        || waiters.stream().anyMatch(waiting -> waiting.owner().equals(ref));
  }

  /** Every owner the lock watches. */
  public List<ActorRef<?>> involved() {
    List<ActorRef<?>> refs = new ArrayList<>();
    if (writer != null) {
      refs.add(writer);
    }
    readers.forEach(held -> refs.add(held.owner()));
    waiters.forEach(waiting -> refs.add(waiting.owner()));
    return refs;
  }
}
