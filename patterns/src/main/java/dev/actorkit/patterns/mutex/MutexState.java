package dev.actorkit.patterns.mutex;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The pure state of one mutex: who holds it, how deep, with which fencing token, and who waits in
 * which order. No actor types; the behaviour in {@link Mutex} turns its results into messages and
 * timers, and property tests drive it directly.
 *
 * <p>Rules: waiters are granted strictly in arrival order (FIFO); every new hold gets a token one
 * greater than the last one handed out, so tokens strictly increase across the mutex's life; a
 * reentrant acquire by the holder keeps the hold's token and adds one to its depth; a refused
 * request changes nothing. Conditions: the holder may wait on a named condition (giving the lock
 * up) and be notified by a later holder; a notified waiter, or one whose wait ran out, queues
 * behind the lock's other waiters to get the lock back at its old depth with a new token. An owner
 * waits for one thing at a time: the lock or one condition.
 *
 * <p>Times ({@code now}, {@code sinceNanos}) are story nanoseconds on the kit clock ({@code
 * KitClock.nowNanos()}), taken as the caller gives them: the state only keeps them for {@link
 * #snapshot()}, and does not read a clock itself.
 *
 * @param <O> how an owner is identified (an {@code ActorRef} in the actor)
 * @param <R> where the owner's reply goes
 */
public final class MutexState<O, R> {

  /**
   * A waiting acquire: who, where to answer, its id (for its timer), and when it started ({@code
   * sinceNanos}, story time on the kit clock as the caller gave it). A condition waiter that is
   * re-acquiring the lock waits here too: {@code resumeDepth} is the depth it gets back, and {@code
   * woken} says whether it was notified (true) or its wait ran out (false); both are 1 and null for
   * an acquire.
   */
  public record Waiter<O, R>(
      O owner, R replyTo, long waitId, long sinceNanos, int resumeDepth, Boolean woken) {
    public Waiter(O owner, R replyTo, long waitId, long sinceNanos) {
      this(owner, replyTo, waitId, sinceNanos, 1, null);
    }
  }

  /**
   * A hold handed to {@code owner}: answer {@code replyTo} with {@code token} at {@code depth}.
   * {@code woken} is null for an acquire; for a condition waiter that got the lock back, whether it
   * was notified.
   */
  public record Grant<O, R>(O owner, R replyTo, long token, int depth, long waitId, Boolean woken) {
    public Grant(O owner, R replyTo, long token, int depth, long waitId) {
      this(owner, replyTo, token, depth, waitId, null);
    }
  }

  /**
   * An owner waiting on a condition: it gave up the lock at {@code depth} and waits to be notified.
   */
  public record ConditionWaiter<O, R>(
      String condition, O owner, R replyTo, long waitId, int depth, long sinceNanos) {}

  /**
   * What an await did: the lock's next hold (the awaiting owner gave the lock up), or a refusal.
   */
  public record AwaitResult<O, R>(Grant<O, R> next, String rejection) {
    public boolean rejected() {
      return rejection != null;
    }
  }

  /**
   * What a notify did: the waits it moved on to re-acquire the lock (their ids, first come first),
   * or a refusal.
   */
  public record NotifyResult(List<Long> woken, String rejection) {
    public boolean rejected() {
      return rejection != null;
    }
  }

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
  public record DeathResult<O, R>(
      Long freedToken, List<Waiter<O, R>> droppedWaits, Grant<O, R> next) {}

  /**
   * A snapshot for the {@code Status} query and the deadlock detector. {@code heldSince} is null
   * when the lock is free; {@code waitingSince} holds the stamps the waits were queued with, as the
   * caller gave them ({@code Mutex} stamps a plain acquire that queues only when a deadlock
   * detector will read it, and 0 otherwise).
   */
  public record Snapshot<O>(
      O holder,
      Duration heldSince,
      long token,
      int depth,
      List<O> waiters,
      List<Duration> waitingSince) {}

  private final boolean reentrant;
  private final int maxDepth;

  /** Made on the first wait, so an idle or uncontended mutex carries no queue. */
  private ArrayDeque<Waiter<O, R>> waiters;

  private HashMap<O, Waiter<O, R>> waitByOwner;

  /** Condition wait queues by condition name, FIFO; made on the first await. */
  private HashMap<String, ArrayDeque<ConditionWaiter<O, R>>> conditions;

  private HashMap<O, ConditionWaiter<O, R>> conditionWaitByOwner;

  private O holder;
  private R holderReplyTo;
  private long heldSinceNanos;
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
  public AcquireResult<O, R> acquire(O owner, R replyTo, long waitId, long now, boolean mayWait) {
    Objects.requireNonNull(owner, "owner");
    if (owner.equals(holder)) {
      if (!reentrant) {
        return new AcquireResult<>(
            null, false, "the owner already holds this mutex and it is not reentrant");
      }
      if (depth >= maxDepth) {
        return new AcquireResult<>(
            null,
            false,
            "the owner already holds this mutex " + depth + " times, the most allowed");
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
  public ReleaseResult<O, R> release(O owner, long releasedToken, long now) {
    if (holder == null) {
      return new ReleaseResult<>(0, null, "the mutex is not held");
    }
    if (!holder.equals(owner)) {
      return new ReleaseResult<>(depth, null, "the releaser does not hold this mutex");
    }
    if (releasedToken != token) {
      return new ReleaseResult<>(
          depth, null, "stale token " + releasedToken + ", the current hold has token " + token);
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
   * @return the revoked holder and its reply target, and the next grant; {@code null} if that hold
   *     already ended
   */
  public Revocation<O, R> revoke(long expiredToken, long now) {
    if (holder == null || token != expiredToken) {
      return null;
    }
    Revocation<O, R> revoked = new Revocation<>(holder, holderReplyTo, token, null);
    clearHolder();
    return new Revocation<>(revoked.holder(), revoked.replyTo(), revoked.token(), grantNext(now));
  }

  /** The holder that lost hold {@code token} to its lease, and the next grant (or null). */
  public record Revocation<O, R>(O holder, R replyTo, long token, Grant<O, R> next) {}

  /**
   * {@code owner} is gone: free its hold, drop its waits, grant the next waiter if the lock became
   * free.
   */
  public DeathResult<O, R> ownerDied(O owner, long now) {
    List<Waiter<O, R>> dropped = new ArrayList<>();
    ConditionWaiter<O, R> onCondition = removeConditionWait(owner);
    if (onCondition != null) {
      dropped.add(
          new Waiter<>(
              owner, onCondition.replyTo(), onCondition.waitId(), onCondition.sinceNanos()));
    }
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

  /**
   * Removes the wait {@code waitId} (its deadline passed, or it was chosen to break a deadlock);
   * null if not waiting.
   */
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

  /** Whether {@code owner} waits here: for the lock, or on one of its conditions. */
  public boolean isWaiting(O owner) {
    return waitOf(owner) != null || conditionWaitOf(owner) != null;
  }

  /** The condition wait of {@code owner}, or null. */
  public ConditionWaiter<O, R> conditionWaitOf(O owner) {
    return conditionWaitByOwner == null ? null : conditionWaitByOwner.get(owner);
  }

  /**
   * The holder {@code owner} waits on {@code condition}, as Python's {@code Condition.wait()}: it
   * gives the lock up whatever its depth (the next waiter is granted) and waits in the condition's
   * FIFO queue until notified or its wait {@code waitId} runs out; then it queues to re-acquire the
   * lock and gets it back at the same depth with a fresh token. Refused unless {@code owner} holds
   * the lock with {@code heldToken}.
   */
  public AwaitResult<O, R> await(
      String condition, O owner, R replyTo, long heldToken, long waitId, long now) {
    Objects.requireNonNull(condition, "condition");
    String refusal = holderCheck(owner, heldToken, "wait on a condition");
    if (refusal != null) {
      return new AwaitResult<>(null, refusal);
    }
    if (conditions == null) {
      conditions = new HashMap<>(4);
      conditionWaitByOwner = new HashMap<>(8);
    }
    ConditionWaiter<O, R> waiter =
        new ConditionWaiter<>(condition, owner, replyTo, waitId, depth, now);
    conditions.computeIfAbsent(condition, name -> new ArrayDeque<>(4)).addLast(waiter);
    conditionWaitByOwner.put(owner, waiter);
    clearHolder();
    return new AwaitResult<>(grantNext(now), null);
  }

  /**
   * The holder {@code owner} notifies {@code condition}: up to {@code n} of its waiters, first come
   * first, leave it and queue (at the back) to re-acquire the lock, which the notifier still holds.
   * Refused unless {@code owner} holds the lock with {@code heldToken}, or if {@code n} is not
   * positive.
   */
  public NotifyResult notify(String condition, O owner, long heldToken, int n, long now) {
    Objects.requireNonNull(condition, "condition");
    if (n < 1) {
      return new NotifyResult(List.of(), "notify wakes at least one waiter, was asked for " + n);
    }
    String refusal = holderCheck(owner, heldToken, "notify a condition");
    if (refusal != null) {
      return new NotifyResult(List.of(), refusal);
    }
    ArrayDeque<ConditionWaiter<O, R>> queue = conditions == null ? null : conditions.get(condition);
    List<Long> woken = new ArrayList<>();
    while (queue != null && !queue.isEmpty() && woken.size() < n) {
      ConditionWaiter<O, R> waiter = queue.pollFirst();
      conditionWaitByOwner.remove(waiter.owner());
      queueToReacquire(waiter, true, now);
      woken.add(waiter.waitId());
    }
    if (queue != null && queue.isEmpty()) {
      conditions.remove(condition);
    }
    return new NotifyResult(woken, null);
  }

  /**
   * The condition wait {@code waitId} ran out: the waiter queues to re-acquire the lock, not
   * notified (Python's {@code wait} then returns false, holding the lock again). Null if no such
   * condition wait exists; otherwise the waiter, with its grant if the lock was free.
   */
  public Reacquire<O, R> conditionWaitExpired(long waitId, long now) {
    if (conditions == null) {
      return null;
    }
    for (ArrayDeque<ConditionWaiter<O, R>> queue : conditions.values()) {
      for (Iterator<ConditionWaiter<O, R>> it = queue.iterator(); it.hasNext(); ) {
        ConditionWaiter<O, R> waiter = it.next();
        if (waiter.waitId() == waitId) {
          it.remove();
          if (queue.isEmpty()) {
            conditions.remove(waiter.condition());
          }
          conditionWaitByOwner.remove(waiter.owner());
          queueToReacquire(waiter, false, now);
          return new Reacquire<>(waiter, holder == null ? grantNext(now) : null);
        }
      }
    }
    return null;
  }

  /** A condition waiter whose wait ran out, and its grant if the lock was free. */
  public record Reacquire<O, R>(ConditionWaiter<O, R> waiter, Grant<O, R> grant) {}

  /** How many owners wait on {@code condition}. */
  public int conditionWaiting(String condition) {
    ArrayDeque<ConditionWaiter<O, R>> queue = conditions == null ? null : conditions.get(condition);
    return queue == null ? 0 : queue.size();
  }

  /** The owners waiting on each condition, in the order they will be notified. */
  public Map<String, List<O>> conditionWaiters() {
    Map<String, List<O>> all = new TreeMap<>();
    if (conditions != null) {
      conditions.forEach(
          (name, queue) -> all.put(name, queue.stream().map(ConditionWaiter::owner).toList()));
    }
    return all;
  }

  /** Removes {@code owner}'s condition wait (it withdrew it, or died); null if it had none. */
  public ConditionWaiter<O, R> removeConditionWait(O owner) {
    ConditionWaiter<O, R> waiter = conditionWaitOf(owner);
    if (waiter != null) {
      conditionWaitByOwner.remove(owner);
      ArrayDeque<ConditionWaiter<O, R>> queue = conditions.get(waiter.condition());
      queue.remove(waiter);
      if (queue.isEmpty()) {
        conditions.remove(waiter.condition());
      }
    }
    return waiter;
  }

  private String holderCheck(O owner, long heldToken, String what) {
    if (holder == null || !holder.equals(owner)) {
      return "only the holder of the mutex may " + what;
    }
    if (heldToken != token) {
      return "stale token " + heldToken + ", the current hold has token " + token;
    }
    return null;
  }

  private void queueToReacquire(ConditionWaiter<O, R> waiter, boolean notified, long now) {
    if (waiters == null) {
      waiters = new ArrayDeque<>(4);
      waitByOwner = new HashMap<>(8);
    }
    Waiter<O, R> reacquiring =
        new Waiter<>(
            waiter.owner(), waiter.replyTo(), waiter.waitId(), now, waiter.depth(), notified);
    waiters.addLast(reacquiring);
    waitByOwner.put(waiter.owner(), reacquiring);
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
      since.add(Duration.ofNanos(waiter.sinceNanos()));
    }
    return new Snapshot<>(
        holder,
        holder == null ? null : Duration.ofNanos(heldSinceNanos),
        holder == null ? 0 : token,
        depth,
        List.copyOf(owners),
        List.copyOf(since));
  }

  private Iterable<Waiter<O, R>> waiters() {
    return waiters == null ? List.of() : waiters;
  }

  private Grant<O, R> grantNext(long now) {
    Waiter<O, R> next = waiters == null ? null : waiters.pollFirst();
    if (next != null) {
      waitByOwner.remove(next.owner());
    }
    if (next == null) {
      return null;
    }
    Grant<O, R> grant = grantTo(next.owner(), next.replyTo(), next.waitId(), now);
    if (next.woken() == null) {
      return grant;
    }
    depth = next.resumeDepth(); // a condition waiter gets its hold back as deep as it was
    return new Grant<>(
        grant.owner(), grant.replyTo(), grant.token(), depth, grant.waitId(), next.woken());
  }

  private Grant<O, R> grantTo(O owner, R replyTo, long waitId, long now) {
    holder = owner;
    holderReplyTo = replyTo;
    heldSinceNanos = now;
    token = ++lastToken;
    depth = 1;
    return new Grant<>(owner, replyTo, token, 1, waitId);
  }

  private void clearHolder() {
    holder = null;
    holderReplyTo = null;
    heldSinceNanos = 0;
    depth = 0;
  }
}
