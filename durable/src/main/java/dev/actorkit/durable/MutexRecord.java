package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.mutex.Mutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Everything a {@link DurableMutex} keeps in the store, replaced as a whole on every change: the
 * last token it granted, the hold (or none), the waiters in the order they will be granted, and the
 * resources it fences. Immutable; every change returns a new record.
 *
 * @param lastToken the token of the latest grant, 0 before the first; never goes down, so tokens
 *     never repeat, across failover and restarts
 * @param nextWaitId the id the next waiter gets (its timer's key)
 * @param hold the current hold, or null when the lock is free
 * @param waiters who waits, first to be granted first
 * @param guards the resources told each new token ({@link Mutex.Guard})
 */
public record MutexRecord(
    long lastToken,
    long nextWaitId,
    Hold hold,
    List<Waiting> waiters,
    List<ActorRef<Mutex.NewToken>> guards)
    implements KitMessage {

  /** A mutex that was never used. */
  public static final MutexRecord EMPTY = new MutexRecord(0, 1, null, List.of(), List.of());

  public MutexRecord {
    waiters = List.copyOf(waiters);
    guards = List.copyOf(guards);
  }

  /**
   * The hold: its owner, where its answers go, its token and depth, and when it was granted (epoch
   * milliseconds).
   */
  public record Hold(
      ActorRef<?> owner, ActorRef<Mutex.Reply> replyTo, long token, int depth, long grantedAtMillis)
      implements KitMessage {}

  /**
   * One waiter: its owner, where its grant goes, its id, when its wait runs out (epoch
   * milliseconds, 0 for never) and how long it was (real milliseconds), so that a recovered mutex
   * can drop the waits that ran out while it moved.
   */
  public record Waiting(
      ActorRef<?> owner,
      ActorRef<Mutex.Reply> replyTo,
      long waitId,
      long deadlineMillis,
      long timeoutMillis)
      implements KitMessage {}

  /** Whether {@code owner} holds the lock. */
  public boolean isHeldBy(ActorRef<?> owner) {
    return hold != null && hold.owner().equals(owner);
  }

  /** {@code owner}'s wait, or null. */
  public Waiting waitOf(ActorRef<?> owner) {
    for (Waiting waiting : waiters) {
      if (waiting.owner().equals(owner)) {
        return waiting;
      }
    }
    return null;
  }

  /** This record with {@code waiting} queued at the tail. */
  public MutexRecord enqueue(Waiting waiting) {
    List<Waiting> longer = new ArrayList<>(waiters);
    longer.add(waiting);
    return new MutexRecord(lastToken, nextWaitId + 1, hold, longer, guards);
  }

  /** This record without the waits that {@code leaving} picks. */
  public MutexRecord withoutWaits(Predicate<Waiting> leaving) {
    List<Waiting> rest = new ArrayList<>(waiters);
    return rest.removeIf(leaving)
        ? new MutexRecord(lastToken, nextWaitId, hold, rest, guards)
        : this;
  }

  /** This record with the lock granted to {@code owner} now, with the next token. */
  public MutexRecord grant(ActorRef<?> owner, ActorRef<Mutex.Reply> replyTo, long nowMillis) {
    long token = lastToken + 1;
    return new MutexRecord(
        token, nextWaitId, new Hold(owner, replyTo, token, 1, nowMillis), waiters, guards);
  }

  /** This record with the holder one level deeper. */
  public MutexRecord reenter() {
    Hold deeper =
        new Hold(
            hold.owner(), hold.replyTo(), hold.token(), hold.depth() + 1, hold.grantedAtMillis());
    return new MutexRecord(lastToken, nextWaitId, deeper, waiters, guards);
  }

  /**
   * This record with one level of the hold given back; when it was the last level the lock goes to
   * the first waiter (with the next token), or is free.
   */
  public MutexRecord releaseOneLevel(long nowMillis) {
    if (hold.depth() > 1) {
      Hold shallower =
          new Hold(
              hold.owner(), hold.replyTo(), hold.token(), hold.depth() - 1, hold.grantedAtMillis());
      return new MutexRecord(lastToken, nextWaitId, shallower, waiters, guards);
    }
    return handOn(nowMillis);
  }

  /**
   * This record with the hold ended whatever its depth (its owner died): the lock goes to the first
   * waiter whose deadline has not passed (the ones before it leave: they have given up), or is
   * free.
   */
  public MutexRecord handOn(long nowMillis) {
    int next = 0;
    while (next < waiters.size()
        && waiters.get(next).deadlineMillis() != 0
        && waiters.get(next).deadlineMillis() <= nowMillis) {
      next++;
    }
    if (next == waiters.size()) {
      return new MutexRecord(lastToken, nextWaitId, null, List.of(), guards);
    }
    Waiting first = waiters.get(next);
    MutexRecord free =
        new MutexRecord(
            lastToken, nextWaitId, null, waiters.subList(next + 1, waiters.size()), guards);
    return free.grant(first.owner(), first.replyTo(), nowMillis);
  }

  /** This record fencing {@code resource} too. */
  public MutexRecord guarding(ActorRef<Mutex.NewToken> resource) {
    if (guards.contains(resource)) {
      return this;
    }
    List<ActorRef<Mutex.NewToken>> more = new ArrayList<>(guards);
    more.add(resource);
    return new MutexRecord(lastToken, nextWaitId, hold, waiters, more);
  }

  /** This record no longer fencing {@code resource}. */
  public MutexRecord notGuarding(ActorRef<?> resource) {
    List<ActorRef<Mutex.NewToken>> fewer = new ArrayList<>(guards);
    return fewer.remove(resource)
        ? new MutexRecord(lastToken, nextWaitId, hold, waiters, fewer)
        : this;
  }

  /** Whether {@code ref} holds, waits or is fenced: whether this mutex must watch it. */
  public boolean involves(ActorRef<?> ref) {
    return isHeldBy(ref) || waitOf(ref) != null || guards.contains(ref);
  }

  /** Every actor the mutex watches: holder, waiters and guarded resources. */
  public List<ActorRef<?>> involved() {
    List<ActorRef<?>> refs = new ArrayList<>();
    if (hold != null) {
      refs.add(hold.owner());
    }
    waiters.forEach(waiting -> refs.add(waiting.owner()));
    refs.addAll(guards);
    return refs;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MutexRecord that
        && lastToken == that.lastToken
        && nextWaitId == that.nextWaitId
        && Objects.equals(hold, that.hold)
        && waiters.equals(that.waiters)
        && guards.equals(that.guards);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastToken, nextWaitId, hold, waiters, guards);
  }
}
