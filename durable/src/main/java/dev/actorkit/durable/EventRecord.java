package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link DurableEvent} keeps in the store, replaced as a whole on every change:
 * whether it is set, and who waits for it (in the order they began to wait) until when. Immutable.
 *
 * @param set whether the event is set
 * @param nextWaitId the id the next wait gets (its timer's key)
 * @param waiters the pending waits
 */
public record EventRecord(boolean set, long nextWaitId, List<Waiting> waiters)
    implements KitMessage {

  /** A clear event nobody waits for, as Python's {@code threading.Event()} starts. */
  public static final EventRecord EMPTY = new EventRecord(false, 1, List.of());

  public EventRecord {
    waiters = List.copyOf(waiters);
  }

  /**
   * One wait: where its answer goes (the waiter, watched), its id, and when it runs out (epoch
   * milliseconds) after how long (real milliseconds).
   */
  public record Waiting(
      ActorRef<Event.Reply> replyTo, long waitId, long deadlineMillis, long timeoutMillis)
      implements KitMessage {}

  /** This record with {@code waiting} added. */
  public EventRecord waiting(Waiting waiting) {
    List<Waiting> more = new ArrayList<>(waiters);
    more.add(waiting);
    return new EventRecord(set, nextWaitId + 1, more);
  }

  /**
   * This record set, its waiters still listed: they are woken after this is written, and dropped by
   * a second write ({@link #wokenUpTo}), so a host that dies in between leaves them to be woken by
   * the next incarnation, not forgotten.
   */
  public EventRecord fired() {
    return new EventRecord(true, nextWaitId, waiters);
  }

  /** This record without the waits up to {@code lastWaitId}, which have been woken. */
  public EventRecord wokenUpTo(long lastWaitId) {
    List<Waiting> rest = new ArrayList<>(waiters);
    rest.removeIf(waiting -> waiting.waitId() <= lastWaitId);
    return new EventRecord(set, nextWaitId, rest);
  }

  /** This record clear. */
  public EventRecord cleared() {
    return new EventRecord(false, nextWaitId, waiters);
  }

  /** This record without the waits of {@code waiter}. */
  public EventRecord without(ActorRef<?> waiter) {
    List<Waiting> rest = new ArrayList<>(waiters);
    rest.removeIf(waiting -> waiting.replyTo().equals(waiter));
    return new EventRecord(set, nextWaitId, rest);
  }

  /** This record without the wait {@code waitId}. */
  public EventRecord withoutWait(long waitId) {
    List<Waiting> rest = new ArrayList<>(waiters);
    rest.removeIf(waiting -> waiting.waitId() == waitId);
    return new EventRecord(set, nextWaitId, rest);
  }

  /** The wait {@code waitId}, or null. */
  public Waiting waitOf(long waitId) {
    for (Waiting waiting : waiters) {
      if (waiting.waitId() == waitId) {
        return waiting;
      }
    }
    return null;
  }

  /** Whether {@code ref} waits. */
  public boolean involves(ActorRef<?> ref) {
    return waiters.stream().anyMatch(waiting -> waiting.replyTo().equals(ref));
  }
}
