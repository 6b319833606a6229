package dev.actorkit.patterns.mutex;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The pure state of one mutex: who holds it, how deep, with which fencing token, and who waits
 * in which order. No actor types; the behaviour in {@link Mutex} turns its results into messages
 * and timers, and property tests drive it directly.
 *
 * <p>Rules: waiters are granted strictly in arrival order (FIFO); every new hold gets a token
 * one greater than the last one handed out, so tokens strictly increase across the mutex's
 * life; a reentrant acquire by the holder keeps the hold's token and adds one to its depth; a
 * refused request changes nothing.
 *
 * @param <O> how an owner is identified (an {@code ActorRef} in the actor)
 * @param <R> where the owner's reply goes
 */
public final class MutexState<O, R> {

  /** A waiting acquire: who, where to answer, its id (for its timer), and when it started (story time). */
  public record Waiter<O, R>(O owner, R replyTo, long waitId, Duration since) {}

  /** A hold handed to {@code owner}: answer {@code replyTo} with {@code token} at {@code depth}. */
  public record Grant<O, R>(O owner, R replyTo, long token, int depth, long waitId) {}

  /** What an acquire did: granted at once, queued, or refused with a reason. */
  public record AcquireResult<O, R>(Grant<O, R> grant, boolean queued, String rejection) {
    public boolean rejected() {
      return rejection != null;
    }
  }

  /** What a release did: the depth left, the next hold if the lock passed on, or a refusal. */
  public record ReleaseResult<O, R>(int remainingDepth, Grant<O, R> next, String rejection) {
    public boolean rejected() {
      return rejection != null;
    }
  }

  /** What an owner's death freed: the hold it had (if any), the waits it left, the next hold. */
  public record DeathResult<O, R>(Long freedToken, List<Waiter<O, R>> droppedWaits, Grant<O, R> next) {}

  /** A snapshot for the {@code Status} query and the deadlock detector. */
  public record Snapshot<O>(O holder, Duration heldSince, long token, int depth, List<O> waiters, List<Duration> waitingSince) {}

  private final boolean reentrant;
  private final int maxDepth;
  /** Made on the first wait, so an idle or uncontended mutex carries no queue. */
  private ArrayDeque<Waiter<O, R>> waiters;
  private HashMap<O, Waiter<O, R>> waitByOwner;

  private O holder;
  private R holderReplyTo;
  private Duration heldSince;
  private long token;
  private int depth;
  private long lastToken;

  /**
   * @param reentrant whether the holder may acquire again
   * @param maxDepth how many nested acquires the holder may have at once (1 when not reentrant)
   */
  public MutexState(boolean reentrant, int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
    }
    this.reentrant = reentrant;
    this.maxDepth = reentrant ? maxDepth : 1;
  }

  /**
   * {@code owner} asks for the lock at story time {@code now}. Granted at once if it is free and
   * nobody waits (or the holder re-enters a reentrant lock); otherwise, if {@code mayWait}, queued
   * at the back; otherwise refused with {@code busy} as {@code queued=false, grant=null}.
   */
  public AcquireResult<O, R> acquire(O owner, R replyTo, long waitId, Duration now, boolean mayWait) {
    Objects.requireNonNull(owner, "owner");
    if (owner.equals(holder)) {
      if (!reentrant) {
        return new AcquireResult<>(null, false, "the owner already holds this mutex and it is not reentrant");
      }
      if (depth >= maxDepth) {
        return new AcquireResult<>(null, false, "the owner already holds this mutex " + depth + " times, the most allowed");
      }
      depth++;
      return new AcquireResult<>(new Grant<>(owner, replyTo, token, depth, waitId), false, null);
    }
    if (isWaiting(owner)) {
      return new AcquireResult<>(null, false, "the owner is already waiting for this mutex");
    }
    if (holder == null) {
      return new AcquireResult<>(grantTo(owner, replyTo, waitId, now), false, null);
    }
    if (!mayWait) {
      return new AcquireResult<>(null, false, null);
    }
    Waiter<O, R> waiter = new Waiter<>(owner, replyTo, waitId, now);
    if (waiters == null) {
      waiters = new ArrayDeque<>(4);
      waitByOwner = new HashMap<>(8);
    }
    waiters.addLast(waiter);
    waitByOwner.put(owner, waiter);
    return new AcquireResult<>(null, true, null);
  }

  /**
   * {@code owner} releases the hold {@code token}. Refused unless it is the holder and the token is
   * the current one. The last release of a nested hold frees the lock and grants the first waiter.
   */
  public ReleaseResult<O, R> release(O owner, long releasedToken, Duration now) {
    if (holder == null) {
      return new ReleaseResult<>(0, null, "the mutex is not held");
    }
    if (!holder.equals(owner)) {
      return new ReleaseResult<>(depth, null, "the releaser does not hold this mutex");
    }
    if (releasedToken != token) {
      return new ReleaseResult<>(depth, null, "stale token " + releasedToken + ", the current hold has token " + token);
    }
    depth--;
    if (depth > 0) {
      return new ReleaseResult<>(depth, null, null);
    }
    clearHolder();
    return new ReleaseResult<>(0, grantNext(now), null);
  }

  /**
   * The lease of hold {@code expiredToken} ran out: if that hold is still current, the holder loses
   * it (whatever its depth) and the first waiter is granted.
   *
   * @return the revoked holder and its reply target, and the next grant; {@code null} if that hold already ended
   */
  public Revocation<O, R> revoke(long expiredToken, Duration now) {
    if (holder == null || token != expiredToken) {
      return null;
    }
    Revocation<O, R> revoked = new Revocation<>(holder, holderReplyTo, token, null);
    clearHolder();
    return new Revocation<>(revoked.holder(), revoked.replyTo(), revoked.token(), grantNext(now));
  }

  /** The holder that lost hold {@code token} to its lease, and the next grant (or null). */
  public record Revocation<O, R>(O holder, R replyTo, long token, Grant<O, R> next) {}

  /** {@code owner} is gone: free its hold, drop its waits, grant the next waiter if the lock became free. */
  public DeathResult<O, R> ownerDied(O owner, Duration now) {
    List<Waiter<O, R>> dropped = new ArrayList<>();
    for (Iterator<Waiter<O, R>> it = waiters().iterator(); it.hasNext(); ) {
      Waiter<O, R> waiter = it.next();
      if (waiter.owner().equals(owner)) {
        dropped.add(waiter);
        it.remove();
        waitByOwner.remove(owner);
      }
    }
    if (owner.equals(holder)) {
      long freed = token;
      clearHolder();
      return new DeathResult<>(freed, dropped, grantNext(now));
    }
    return new DeathResult<>(null, dropped, null);
  }

  /** Removes the wait {@code waitId} (its deadline passed, or it was chosen to break a deadlock); null if not waiting. */
  public Waiter<O, R> removeWait(long waitId) {
    for (Iterator<Waiter<O, R>> it = waiters().iterator(); it.hasNext(); ) {
      Waiter<O, R> waiter = it.next();
      if (waiter.waitId() == waitId) {
        it.remove();
        waitByOwner.remove(waiter.owner());
        return waiter;
      }
    }
    return null;
  }

  /** The wait of {@code owner}, or null. */
  public Waiter<O, R> waitOf(O owner) {
    return waitByOwner == null ? null : waitByOwner.get(owner);
  }

  public boolean isWaiting(O owner) {
    return waitOf(owner) != null;
  }

  /** Whether {@code owner} is the holder or a waiter. */
  public boolean involves(O owner) {
    return owner.equals(holder) || isWaiting(owner);
  }

  public O holder() {
    return holder;
  }

  public long token() {
    return token;
  }

  public int depth() {
    return depth;
  }

  /** The last token handed out (0 before the first grant). */
  public long lastToken() {
    return lastToken;
  }

  public int waiting() {
    return waiters == null ? 0 : waiters.size();
  }

  public Snapshot<O> snapshot() {
    List<O> owners = new ArrayList<>(waiting());
    List<Duration> since = new ArrayList<>(waiting());
    for (Waiter<O, R> waiter : waiters()) {
      owners.add(waiter.owner());
      since.add(waiter.since());
    }
    return new Snapshot<>(holder, heldSince, holder == null ? 0 : token, depth, List.copyOf(owners), List.copyOf(since));
  }

  private Iterable<Waiter<O, R>> waiters() {
    return waiters == null ? List.of() : waiters;
  }

  private Grant<O, R> grantNext(Duration now) {
    Waiter<O, R> next = waiters == null ? null : waiters.pollFirst();
    if (next != null) {
      waitByOwner.remove(next.owner());
    }
    return next == null ? null : grantTo(next.owner(), next.replyTo(), next.waitId(), now);
  }

  private Grant<O, R> grantTo(O owner, R replyTo, long waitId, Duration now) {
    holder = owner;
    holderReplyTo = replyTo;
    heldSince = now;
    token = ++lastToken;
    depth = 1;
    return new Grant<>(owner, replyTo, token, 1, waitId);
  }

  private void clearHolder() {
    holder = null;
    holderReplyTo = null;
    heldSince = null;
    depth = 0;
  }
}
