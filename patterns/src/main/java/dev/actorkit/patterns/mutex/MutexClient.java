package dev.actorkit.patterns.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.DeadlockDetectedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Mutex} for plain Java: {@code try (MutexClient.Lock lock = mutex.acquire(Duration.ofSeconds(2))) { … }}
 * is Python's {@code with lock:}.
 *
 * <p>Every call takes a timeout in story time (or uses the kit's {@code actorkit.ask-timeout}).
 * A wait is FIFO with every other owner's; when the timeout passes, the owner has left the queue
 * and the call throws {@link TimedOutException} ({@code tryAcquire} returns empty instead). A
 * wait broken by the deadlock detector throws {@link DeadlockDetectedException} naming the
 * cycle; a refused request throws {@link dev.actorkit.core.errors.RejectedException}.
 *
 * <p>Owners: the forms without a {@link LockOwner} create a fresh owner actor for that one hold
 * and stop it when the lock is closed, so a hold is released even if the caller's code never
 * gets to {@code close()} and the owner is stopped (for example when the kit closes). Pass your
 * own {@link LockOwner} to hold several mutexes as one owner, or to re-enter a reentrant mutex.
 */
public final class MutexClient {

  /** Added to the real-time wait for an answer, so the mutex's own {@code TimedOut} normally arrives first. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final ActorRef<Mutex.Command> mutex;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;
  private final KitClock clock;

  private MutexClient(ActorRef<Mutex.Command> mutex, ActorSystem<?> system, Duration defaultTimeout) {
    this.mutex = Objects.requireNonNull(mutex, "mutex");
    this.system = Objects.requireNonNull(system, "system");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    this.clock = KitClock.get(system);
  }

  /** Spawns a mutex named {@code name} under the kit's {@code primitives} branch (a daemon) and returns its client. */
  public static MutexClient create(ActorKit kit, String name, Mutex.Settings settings) {
    ActorRef<Mutex.Command> ref = kit.spawn(Branch.PRIMITIVES, name, Mutex.create(settings), SpawnOptions.daemon());
    return new MutexClient(ref, kit.system(), kit.settings().askTimeout());
  }

  /** A client of an existing mutex; calls without a timeout wait {@code defaultTimeout} (story time). */
  public static MutexClient of(ActorRef<Mutex.Command> mutex, ActorSystem<?> system, Duration defaultTimeout) {
    return new MutexClient(mutex, system, defaultTimeout);
  }

  /** The mutex actor. */
  public ActorRef<Mutex.Command> ref() {
    return mutex;
  }

  /** Waits up to the default timeout for the lock; see {@link #acquire(Duration)}. */
  public Lock acquire() {
    return acquire(defaultTimeout);
  }

  /**
   * Waits up to {@code timeout} (story time), in FIFO order, for the lock.
   *
   * @throws TimedOutException if it was not granted in time (the wait has been withdrawn)
   * @throws DeadlockDetectedException if the detector broke this wait
   */
  public Lock acquire(Duration timeout) {
    return awaitLock(acquireAsync(timeout), timeout);
  }

  /** Acquires as {@code owner}; the hold stays when the returned lock is closed only if it was re-entered. */
  public Lock acquire(LockOwner owner, Duration timeout) {
    return awaitLock(acquireAsync(owner, timeout), timeout);
  }

  /**
   * Waits for a grant; if the caller stops waiting first (no answer in time, or interrupted), a
   * grant that still comes later is given back at once, so no lock is left held by nobody.
   */
  private Lock awaitLock(CompletionStage<Lock> pending, Duration timeout) {
    try {
      return Ask.await(pending, realWait(timeout), "the mutex " + mutex.path().name());
    } catch (TimedOutException | InterruptedWaitException e) {
      pending.thenAccept(Lock::releaseAsync);
      throw e;
    }
  }

  /** The lock if it is free right now and nobody waits; otherwise empty at once. */
  public Optional<Lock> tryAcquire() {
    return tryAcquire(Duration.ZERO);
  }

  /** The lock if it is granted within {@code timeout} (story time); otherwise empty, and the wait has been withdrawn. */
  public Optional<Lock> tryAcquire(Duration timeout) {
    try {
      return Optional.of(acquire(timeout));
    } catch (TimedOutException e) {
      return Optional.empty();
    }
  }

  /** As {@link #acquire(Duration)}, without blocking; the stage fails with the exceptions it would throw. */
  public CompletionStage<Lock> acquireAsync(Duration timeout) {
    LockOwner owner = LockOwner.anonymous(system);
    return acquireAsync(owner, timeout, true)
        .whenComplete(
            (lock, failure) -> {
              if (failure != null) {
                owner.close();
              }
            });
  }

  /** As {@link #acquire(LockOwner, Duration)}, without blocking. */
  public CompletionStage<Lock> acquireAsync(LockOwner owner, Duration timeout) {
    return acquireAsync(owner, timeout, false);
  }

  private CompletionStage<Lock> acquireAsync(LockOwner owner, Duration timeout, boolean ownsOwner) {
    Objects.requireNonNull(timeout, "timeout");
    return owner
        .request(mutex, replyTo -> new Mutex.TryAcquire(owner.ref(), timeout, replyTo))
        .thenApply(
            reply -> {
              if (reply instanceof Mutex.Granted granted) {
                return new Lock(owner, granted.token(), granted.depth(), ownsOwner);
              }
              throw new CompletionException(failure(reply));
            });
  }

  /** The mutex's holder, token and waiters now. */
  public Mutex.Status status(Duration timeout) {
    return Ask.await(
        Ask.askFor(Mutex.Status.class, mutex, Mutex.GetStatus::new, realWait(timeout), system.scheduler()),
        realWait(timeout),
        "the status of " + mutex.path().name());
  }

  private Duration realWait(Duration timeout) {
    return clock.toReal(timeout).plus(MARGIN);
  }

  private KitException failure(Mutex.Reply reply) {
    if (reply instanceof Mutex.DeadlockDetected deadlock) {
      return new DeadlockDetectedException(deadlock.cycle());
    }
    KitException mapped = Ask.exceptionFor(reply, Ask.targetName(mutex));
    if (mapped != null) {
      return mapped;
    }
    throw new IllegalStateException(Ask.targetName(mutex) + " answered " + reply);
  }

  /**
   * One hold of the mutex. {@link #close()} gives it back (one level of a re-entered hold). A
   * hold whose lease ran out is already gone: {@link #isRevoked()} says so, and closing it does
   * nothing.
   */
  public final class Lock implements AutoCloseable {
    private final LockOwner owner;
    private final long token;
    private final int depth;
    private final boolean ownsOwner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lock(LockOwner owner, long token, int depth, boolean ownsOwner) {
      this.owner = owner;
      this.token = token;
      this.depth = depth;
      this.ownsOwner = ownsOwner;
    }

    /** The fencing token of this hold: greater than every earlier hold's on this mutex. */
    public long token() {
      return token;
    }

    /** How many times the owner held the mutex once this acquire was granted (1 unless re-entered). */
    public int depth() {
      return depth;
    }

    public LockOwner owner() {
      return owner;
    }

    /** Whether the mutex took this hold back because its lease ran out. */
    public boolean isRevoked() {
      return owner.isRevoked(mutex, token);
    }

    /** Gives the hold back; completes once the mutex has answered. */
    public CompletionStage<Void> releaseAsync() {
      if (!closed.compareAndSet(false, true)) {
        return CompletableFuture.completedFuture(null);
      }
      return owner
          .request(mutex, replyTo -> new Mutex.Release(owner.ref(), token, replyTo))
          .thenApply(
              reply -> {
                if (ownsOwner) {
                  owner.close();
                }
                if (reply instanceof Mutex.Released || isRevoked()) {
                  return null;
                }
                throw new CompletionException(failure(reply));
              });
    }

    /** Gives the hold back and waits for the mutex's answer (at most the client's default timeout). */
    @Override
    public void close() {
      Ask.await(releaseAsync(), realWait(defaultTimeout), "releasing " + mutex.path().name());
    }
  }
}
