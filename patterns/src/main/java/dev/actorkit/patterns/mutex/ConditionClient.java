package dev.actorkit.patterns.mutex;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.call.StandIn;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * A condition of a {@link Mutex}, Python's {@code threading.Condition(lock)} and Java's {@code
 * lock.newCondition()}: {@code mutex.condition("not-empty")}. Waiting gives the lock up and takes
 * it back; notifying wakes waiters. One mutex may have many conditions (a basket's "not full" and
 * "not empty"), each a name; the rules are the mutex's ({@link Mutex.Await}, {@link Mutex.Notify}).
 *
 * <pre>{@code
 * try (MutexClient.Lock lock = basket.acquire(timeout)) {
 *   while (buns.isEmpty()) {
 *     notEmpty.await(lock, timeout);   // gives the lock up, and has it again when it returns
 *   }
 *   buns.remove();
 *   notFull.notify(lock);
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Only the holder</b> waits or notifies: anything else is refused with {@link
 *       RejectedException}, and nothing changes.
 *   <li><b>Order.</b> Waiters are woken first come first. A woken waiter gets the lock back in turn
 *       with the lock's other waiters, once the notifier has released it, at the depth it had, with
 *       a new fencing token ({@link MutexClient.Lock#token()} changes).
 *   <li><b>Timeouts.</b> {@link #await} returns false if {@code timeout} (story time) passed
 *       without a notify — holding the lock again, as Python's {@code wait} does. The mutex has the
 *       timeout plus {@code actorkit.caller.margin} to give the lock back; if another holder keeps
 *       it longer, the call fails with {@link TimedOutException}, and the lock is given up with it.
 *   <li><b>Walking away.</b> A waiter that is interrupted, or whose stage is cancelled, leaves the
 *       condition and gives the lock up for good: its {@code Lock} is no longer {@linkplain
 *       MutexClient.Lock#isHeld() held}, and closing it does nothing. (Java's {@code
 *       Condition.await} takes the lock back before it throws; here nobody would know the new hold,
 *       so it is not taken.)
 *   <li><b>Owners.</b> Waiting works on locks acquired without a {@link LockOwner} (each wait is
 *       made by the stand-in that holds the lock); a {@code LockOwner}'s lock may notify but not
 *       wait, and is refused with {@link IllegalArgumentException}. Actors use the protocol.
 * </ul>
 *
 * <p>Thread-safe: any thread may use it with any lock of its mutex.
 */
public final class ConditionClient {

  private final MutexClient mutex;
  private final String name;
  private final Callers callers;

  ConditionClient(MutexClient mutex, String name) {
    this.mutex = Objects.requireNonNull(mutex, "mutex");
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a condition needs a name");
    }
    this.callers = mutex.callers();
  }

  /** The condition's name. */
  public String name() {
    return name;
  }

  /**
   * Gives {@code lock} up and waits until notified or until {@code timeout} (story time) passes,
   * then takes it back: true if notified, false if the time ran out. Either way the lock is held
   * again when it returns, with a new token.
   *
   * @throws RejectedException if {@code lock} is not the current hold of this mutex (released,
   *     revoked)
   * @throws InterruptedWaitException if the thread is interrupted; the lock is given up
   * @throws TimedOutException if the lock could not be had back within the margin after the
   *     timeout; the lock is given up
   * @throws ClosedException if the lock's holder is gone (the kit closed)
   */
  public boolean await(MutexClient.Lock lock, Duration timeout) {
    return awaiting(lock, timeout).await();
  }

  /** {@link #await} without blocking; cancelling the stage gives the lock up. */
  public CompletionStage<Boolean> awaitAsync(MutexClient.Lock lock, Duration timeout) {
    return awaiting(lock, timeout).async();
  }

  /**
   * Python's {@code wait_for(predicate, timeout)}: while {@code predicate} is false, waits (the
   * time left of {@code timeout}, story time) and checks it again once the lock is held again.
   * Returns the predicate's last value: false only if the time ran out with it still false. The
   * predicate runs in this thread, holding the lock.
   */
  public boolean awaitUntil(MutexClient.Lock lock, BooleanSupplier predicate, Duration timeout) {
    Objects.requireNonNull(predicate, "predicate");
    callers.checkTimeout(timeout, "waiting on " + name);
    KitClock clock = callers.clock();
    Duration deadline = clock.now().plus(timeout);
    boolean ready = predicate.getAsBoolean();
    while (!ready) {
      Duration left = deadline.minus(clock.now());
      if (left.isNegative() || left.isZero()) {
        return false;
      }
      await(lock, left);
      ready = predicate.getAsBoolean();
    }
    return true;
  }

  /** Wakes the first waiter, if any; returns how many it woke (0 or 1). */
  public int notify(MutexClient.Lock lock) {
    return notify(lock, 1);
  }

  /** Wakes up to {@code n} waiters, first come first; returns how many it woke. */
  public int notify(MutexClient.Lock lock, int n) {
    return notifying(lock, n).await();
  }

  /** Wakes every waiter; Python's {@code notify_all()}. Returns how many it woke. */
  public int notifyAll(MutexClient.Lock lock) {
    return notify(lock, Integer.MAX_VALUE);
  }

  /** {@link #notify(MutexClient.Lock, int)} without blocking. */
  public CompletionStage<Integer> notifyAsync(MutexClient.Lock lock, int n) {
    return notifying(lock, n).async();
  }

  /** How many owners wait on this condition now. */
  public int waiting() {
    return mutex.status().waitingOn(name).size();
  }

  private Call<Boolean> awaiting(MutexClient.Lock lock, Duration timeout) {
    MutexClient.Held held = heldOf(lock);
    if (lock.lockOwner() != null) {
      throw new IllegalArgumentException(
          "a lock held by the LockOwner "
              + lock.lockOwner().name()
              + " cannot wait on a condition; acquire it without an owner to wait");
    }
    if (!(held.holder() instanceof StandIn standIn)) {
      throw new IllegalStateException("the lock is not held by a stand-in: " + lock);
    }
    long token = held.token();
    ActorRef<?> owner = lock.owner();
    return callers.byHolder(
        standIn,
        mutex.ref(),
        timeout,
        "waiting on " + name + " of " + mutex.name(),
        (ActorRef<Mutex.Reply> replyTo) -> new Mutex.Await(name, owner, token, timeout, replyTo),
        (reply, resumedBy) -> {
          if (reply instanceof Mutex.Woken woken) {
            held.resumed(woken);
            held.heldBy(resumedBy);
            return woken.notified();
          }
          throw mutex.refusal(reply);
        });
  }

  private Call<Integer> notifying(MutexClient.Lock lock, int n) {
    MutexClient.Held held = heldOf(lock);
    long token = held.token();
    ActorRef<?> owner = lock.owner();
    return callers.ask(
        mutex.ref(),
        callers.defaultTimeout(),
        "notifying " + name + " of " + mutex.name(),
        (ActorRef<Mutex.Reply> replyTo) -> new Mutex.Notify(name, owner, token, n, replyTo),
        reply -> {
          if (reply instanceof Mutex.Notified notified) {
            return notified.woken();
          }
          throw mutex.refusal(reply);
        });
  }

  /**
   * The hold behind {@code lock}, which must be of this mutex and still held (the mutex checks that
   * too).
   */
  private MutexClient.Held heldOf(MutexClient.Lock lock) {
    Objects.requireNonNull(lock, "lock");
    if (!lock.mutexClient().ref().equals(mutex.ref())) {
      throw new IllegalArgumentException(
          "the lock is of " + lock.mutexClient().name() + ", not of " + mutex.name());
    }
    if (!lock.isHeld()) {
      throw new RejectedException(
          mutex.name(),
          "only the holder may wait on or notify "
              + name
              + ", and "
              + lock
              + " is not held any more");
    }
    return lock.held();
  }

  @Override
  public String toString() {
    return "Condition[" + name + " of " + mutex.name() + "]";
  }
}
