package dev.actorkit.patterns.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.call.Handle;
import dev.actorkit.core.call.Principal;
import dev.actorkit.core.call.StandIn;
import dev.actorkit.core.errors.DeadlockDetectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Mutex} for plain Java: {@code try (MutexClient.Lock lock =
 * mutex.acquire(Duration.ofSeconds(2))) { … }} is Python's {@code with lock:}.
 *
 * <p>Every call takes a timeout in story time (or uses the kit's {@code actorkit.ask-timeout}). A
 * wait is FIFO with every other owner's; when the timeout passes, the owner has left the queue and
 * the call throws {@link TimedOutException} ({@code tryAcquire} returns empty instead). A wait
 * broken by the deadlock detector throws {@link DeadlockDetectedException} naming the cycle; a
 * refused request throws {@link dev.actorkit.core.errors.RejectedException}. A caller that walks
 * away (interrupted, cancelled stage, timed out with the grant in flight) leaves the mutex neither
 * held nor queued for it — the rules of {@link Callers}.
 *
 * <p>Owners: the forms without a {@link LockOwner} acquire through a stand-in made for that one
 * hold, which holds the lock until it is closed (or until the stand-in stops, for example when the
 * kit closes). Pass your own {@link LockOwner} to hold several mutexes as one owner, or to re-enter
 * a reentrant mutex.
 */
public final class MutexClient {

  private final ActorRef<Mutex.Command> mutex;
  private final ActorSystem<?> system;
  private final Callers callers;
  private final String name;

  private MutexClient(ActorRef<Mutex.Command> mutex, ActorSystem<?> system) {
    this.mutex = Objects.requireNonNull(mutex, "mutex");
    this.system = Objects.requireNonNull(system, "system");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(mutex);
  }

  /**
   * Spawns a mutex named {@code name} under the kit's {@code primitives} branch (a daemon) and
   * returns its client.
   */
  public static MutexClient create(ActorKit kit, String name, Mutex.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new MutexClient(
        kit.spawn(Branch.PRIMITIVES, name, Mutex.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /**
   * A client of an existing mutex; calls without a timeout wait {@code actorkit.ask-timeout} (story
   * time).
   */
  public static MutexClient of(ActorRef<Mutex.Command> mutex, ActorSystem<?> system) {
    return new MutexClient(mutex, system);
  }

  /** The mutex actor. */
  public ActorRef<Mutex.Command> ref() {
    return mutex;
  }

  /** Waits up to the default timeout for the lock; see {@link #acquire(Duration)}. */
  public Lock acquire() {
    return acquire(callers.defaultTimeout());
  }

  /**
   * Waits up to {@code timeout} (story time), in FIFO order, for the lock.
   *
   * @throws TimedOutException if it was not granted in time (the wait has been withdrawn)
   * @throws DeadlockDetectedException if the detector broke this wait
   * @throws dev.actorkit.core.errors.InterruptedWaitException if the thread is interrupted while it
   *     waits
   */
  public Lock acquire(Duration timeout) {
    return acquiring(timeout).await();
  }

  /** Acquires as {@code owner}; the owner keeps its other holds whatever happens to this wait. */
  public Lock acquire(LockOwner owner, Duration timeout) {
    return acquiring(owner, timeout).await();
  }

  /** The lock if it is free right now and nobody waits; otherwise empty at once. */
  public Optional<Lock> tryAcquire() {
    return tryAcquire(Duration.ZERO);
  }

  /**
   * The lock if it is granted within {@code timeout} (story time); otherwise empty, and the wait
   * has been withdrawn.
   */
  public Optional<Lock> tryAcquire(Duration timeout) {
    try {
      return Optional.of(acquire(timeout));
    } catch (TimedOutException e) {
      return Optional.empty();
    }
  }

  /**
   * As {@link #acquire(Duration)}, without blocking; cancelling the stage before the grant
   * withdraws the wait.
   */
  public CompletionStage<Lock> acquireAsync(Duration timeout) {
    return acquiring(timeout).async();
  }

  /** As {@link #acquire(LockOwner, Duration)}, without blocking. */
  public CompletionStage<Lock> acquireAsync(LockOwner owner, Duration timeout) {
    return acquiring(owner, timeout).async();
  }

  /** The mutex's holder, token and waiters now. */
  public Mutex.Status status() {
    return statusCall().await();
  }

  /** {@link #status()} without blocking. */
  public CompletionStage<Mutex.Status> statusAsync() {
    return statusCall().async();
  }

  private Call<Mutex.Status> statusCall() {
    return callers.ask(
        mutex,
        callers.defaultTimeout(),
        "the status of " + name,
        Mutex.GetStatus::new,
        Callers.expect(Mutex.Status.class, mutex));
  }

  private Call<Lock> acquiring(Duration timeout) {
    return callers.through(
        mutex,
        timeout,
        "the mutex " + name,
        (ActorRef<Mutex.Reply> standIn) -> new Mutex.TryAcquire(standIn, timeout, standIn),
        (reply, standIn) -> {
          if (reply instanceof Mutex.Granted granted) {
            Held held = new Held(standIn, granted.token(), granted.depth(), null);
            held.heldBy(standIn);
            return new Lock(held, standIn.ref(), null);
          }
          throw failure(reply);
        });
  }

  private Call<Lock> acquiring(LockOwner owner, Duration timeout) {
    Objects.requireNonNull(owner, "owner");
    ActorRef<?> ownerRef = owner.ref();
    return owner
        .principal()
        .call(
            mutex,
            timeout,
            "the mutex " + name + " for " + owner.name(),
            (ActorRef<Mutex.Reply> replyTo) -> new Mutex.TryAcquire(ownerRef, timeout, replyTo),
            reply -> {
              if (reply instanceof Mutex.Granted granted) {
                Held held =
                    new Held(
                        new OwnerHold(mutex, owner, granted.token(), system.ignoreRef()),
                        granted.token(),
                        granted.depth(),
                        owner);
                return new Lock(held, ownerRef, owner);
              }
              throw failure(reply);
            },
            new Principal.Withdrawal<>(
                replyTo -> new Mutex.Withdraw(ownerRef, replyTo),
                Mutex.Withdrawn.class,
                reply ->
                    reply instanceof Mutex.Granted late
                        ? new Mutex.Release(ownerRef, late.token(), system.ignoreRef())
                        : null));
  }

  private RuntimeException failure(Mutex.Reply reply) {
    if (reply instanceof Mutex.DeadlockDetected deadlock) {
      return new DeadlockDetectedException(deadlock.cycle());
    }
    return Callers.refusal(reply, mutex);
  }

  /**
   * A hold by a {@link LockOwner}: releasing it leaves the owner running; a leaked one is released
   * by a one-way message.
   */
  private record OwnerHold(
      ActorRef<Mutex.Command> mutex, LockOwner owner, long token, ActorRef<Mutex.Reply> ignore)
      implements Handle.Holder {
    @Override
    public void released() {
      owner.forget(mutex, token);
    }

    @Override
    public void abandoned() {
      owner.forget(mutex, token);
      mutex.tell(new Mutex.Release(owner.ref(), token, ignore));
    }

    @Override
    public boolean isGone() {
      return owner.principal().isClosed();
    }
  }

  /**
   * A condition of this mutex named {@code name}, Python's {@code threading.Condition(lock)}; see
   * {@link ConditionClient}.
   */
  public ConditionClient condition(String name) {
    return new ConditionClient(this, name);
  }

  Callers callers() {
    return callers;
  }

  String name() {
    return name;
  }

  RuntimeException refusal(Mutex.Reply reply) {
    return failure(reply);
  }

  /**
   * Who holds a {@link Lock} and with which token: the stand-in that acquired it or the {@link
   * LockOwner}, and, after a wait on a condition, the stand-in and token it holds since. Refers to
   * no {@code Lock}, so that an unreachable one can be given back.
   */
  static final class Held implements Handle.Holder {
    private volatile Handle.Holder holder;
    private volatile long token;
    private volatile int depth;
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final LockOwner lockOwner;

    Held(Handle.Holder holder, long token, int depth, LockOwner lockOwner) {
      this.holder = holder;
      this.token = token;
      this.depth = depth;
      this.lockOwner = lockOwner;
    }

    /**
     * While reading a grant on {@code standIn}'s thread: it holds this lock from now on, and hears
     * of the lease taking it back.
     */
    void heldBy(StandIn standIn) {
      standIn.keep();
      standIn.onLater(
          Mutex.Revoked.class,
          notice -> {
            if (notice.token() == token) {
              revoked.set(true);
            }
          });
      holder = standIn;
    }

    /** The owner holds the lock again after a wait on a condition, with a new token. */
    void resumed(Mutex.Woken woken) {
      token = woken.token();
      depth = woken.depth();
      revoked.set(false);
    }

    Handle.Holder holder() {
      return holder;
    }

    long token() {
      return token;
    }

    int depth() {
      return depth;
    }

    boolean isRevoked(ActorRef<Mutex.Command> mutex) {
      return revoked.get() || (lockOwner != null && lockOwner.isRevoked(mutex, token));
    }

    void markRevoked() {
      revoked.set(true);
    }

    @Override
    public void released() {
      holder.released();
    }

    @Override
    public void abandoned() {
      holder.abandoned();
    }

    @Override
    public boolean isGone() {
      return holder.isGone();
    }
  }

  /**
   * One hold of the mutex. {@link #close()} gives it back (one level of a re-entered hold). A hold
   * whose lease ran out is already gone: {@link #isRevoked()} says so, and closing it does nothing.
   * A wait on a {@link ConditionClient condition} gives the lock up and takes it back with a new
   * {@link #token()}. The rest of the rules are those of {@link Handle}.
   */
  public final class Lock extends Handle {
    private final Held held;
    private final ActorRef<?> owner;
    private final LockOwner lockOwner;

    private Lock(Held held, ActorRef<?> owner, LockOwner lockOwner) {
      super(held, "a Lock (token " + held.token() + ") of " + name);
      this.held = held;
      this.owner = owner;
      this.lockOwner = lockOwner;
    }

    /**
     * The fencing token of this hold: greater than every earlier hold's on this mutex; new after a
     * wait on a condition.
     */
    public long token() {
      return held.token();
    }

    /**
     * How many times the owner held the mutex once this acquire was granted (1 unless re-entered).
     */
    public int depth() {
      return held.depth();
    }

    /**
     * The actor the mutex sees as the holder: the call's stand-in, or the {@link LockOwner}'s
     * actor.
     */
    public ActorRef<?> owner() {
      return owner;
    }

    /**
     * Whether the mutex took this hold back because its lease ran out (as far as the owner has been
     * told).
     */
    public boolean isRevoked() {
      return held.isRevoked(mutex);
    }

    /**
     * Whether this hold still stands: not released, not revoked, and its holder still there (a wait
     * on a condition that was walked away from, for one, gives the lock up for good).
     */
    public boolean isHeld() {
      return !isReleased() && !isRevoked() && !held.isGone();
    }

    MutexClient mutexClient() {
      return MutexClient.this;
    }

    @Override
    public String toString() {
      return "Lock[token "
          + token()
          + " of "
          + name
          + (isReleased() ? ", released]" : isHeld() ? "]" : ", lost]");
    }

    Held held() {
      return held;
    }

    LockOwner lockOwner() {
      return lockOwner;
    }

    /**
     * Releases one level of the hold. A refusal can only mean the lease took the hold back (only
     * its own owner releases it), so it marks the hold revoked instead of failing. A {@link
     * LockOwner}'s release goes through the owner, in order with its other requests.
     */
    @Override
    protected Call<Void> release() {
      Callers.Reading<Mutex.Reply, Void> read =
          reply -> {
            if (reply instanceof Mutex.Rejected) {
              held.markRevoked();
              return null;
            }
            if (reply instanceof Mutex.Released) {
              return null;
            }
            throw failure(reply);
          };
      String what = "releasing the mutex " + name;
      long token = held.token();
      if (lockOwner == null) {
        return callers.release(
            held.holder(),
            mutex,
            what,
            (ActorRef<Mutex.Reply> replyTo) -> new Mutex.Release(owner, token, replyTo),
            read);
      }
      return lockOwner
          .principal()
          .call(
              mutex,
              callers.defaultTimeout(),
              what,
              (ActorRef<Mutex.Reply> replyTo) -> new Mutex.Release(owner, token, replyTo),
              read,
              null);
    }
  }
}
