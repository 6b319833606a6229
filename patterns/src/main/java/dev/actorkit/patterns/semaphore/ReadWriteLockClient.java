package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.call.Handle;
import dev.actorkit.core.call.StandIn;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ReadWriteLock} for plain Java:
 *
 * <pre>{@code
 * try (ReadWriteLockClient.Hold read = lock.read()) { ... many readers at once ... }
 * try (ReadWriteLockClient.Hold write = lock.write()) {
 *   ... alone ...
 *   write.downgrade();   // now a reader, no writer could slip in between
 * }
 * }</pre>
 *
 * <p>Ordering, writer preference, timeouts and death are those of {@link ReadWriteLock}. Each hold
 * is made by its own stand-in, which holds the lock until the {@link Hold} is closed; a caller that
 * walks away (interrupted, cancelled, timed out with the grant in flight) leaves nothing held or
 * queued — the rules of {@link Callers}. Timeouts are story time. Blocking methods are for threads,
 * never for actors. Thread-safe.
 */
public final class ReadWriteLockClient {

  private final ActorRef<ReadWriteLock.Command> lock;
  private final Callers callers;
  private final String name;

  private ReadWriteLockClient(ActorRef<ReadWriteLock.Command> lock, ActorSystem<?> system) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(lock);
  }

  /** Spawns a read-write lock named {@code name} under the kit's primitives branch (a daemon). */
  public static ReadWriteLockClient create(
      ActorKit kit, String name, ReadWriteLock.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new ReadWriteLockClient(
        kit.spawn(Branch.PRIMITIVES, name, ReadWriteLock.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** {@link #create(ActorKit, String, ReadWriteLock.Settings)} with the default settings. */
  public static ReadWriteLockClient create(ActorKit kit, String name) {
    return create(kit, name, ReadWriteLock.Settings.defaults());
  }

  /** Wraps a lock that already runs in {@code system}. */
  public static ReadWriteLockClient of(
      ActorRef<ReadWriteLock.Command> lock, ActorSystem<?> system) {
    return new ReadWriteLockClient(lock, system);
  }

  public ActorRef<ReadWriteLock.Command> ref() {
    return lock;
  }

  /** A read lock, waiting at most {@code actorkit.ask-timeout}. */
  public Hold read() {
    return read(callers.defaultTimeout());
  }

  /** A read lock, waiting at most {@code timeout} (story time); {@link TimedOutException} after. */
  public Hold read(Duration timeout) {
    return acquiring(false, timeout).await();
  }

  /** The write lock, waiting at most {@code actorkit.ask-timeout}. */
  public Hold write() {
    return write(callers.defaultTimeout());
  }

  /**
   * The write lock, waiting at most {@code timeout} (story time); {@link TimedOutException} after.
   */
  public Hold write(Duration timeout) {
    return acquiring(true, timeout).await();
  }

  /** A read lock without blocking; cancelling the stage before the grant withdraws the request. */
  public CompletionStage<Hold> readAsync(Duration timeout) {
    return acquiring(false, timeout).async();
  }

  /**
   * The write lock without blocking; cancelling the stage before the grant withdraws the request.
   */
  public CompletionStage<Hold> writeAsync(Duration timeout) {
    return acquiring(true, timeout).async();
  }

  /** Who holds and who waits now. */
  public ReadWriteLock.StatusReport status() {
    return callers
        .ask(
            lock,
            callers.defaultTimeout(),
            "the status of " + name,
            ReadWriteLock.Status::new,
            Callers.expect(ReadWriteLock.StatusReport.class, lock))
        .await();
  }

  private Call<Hold> acquiring(boolean write, Duration timeout) {
    return callers.through(
        lock,
        timeout,
        (write ? "the write lock of " : "a read lock of ") + name,
        (ActorRef<ReadWriteLock.Reply> standIn) ->
            write
                ? new ReadWriteLock.AcquireWrite(timeout, standIn, standIn)
                : new ReadWriteLock.AcquireRead(timeout, standIn, standIn),
        (reply, standIn) -> {
          if (reply instanceof ReadWriteLock.WriteGranted granted) {
            standIn.keep();
            return new Hold(standIn, true, granted.token());
          }
          if (reply instanceof ReadWriteLock.ReadGranted granted) {
            standIn.keep();
            return new Hold(standIn, false, granted.token());
          }
          throw Callers.refusal(reply, lock);
        });
  }

  /**
   * A read or write lock held by plain-Java code; {@link #close()} releases it (see {@link
   * Handle}). Thread-safe.
   */
  public final class Hold extends Handle {

    private final AtomicBoolean write;
    private final StandIn standIn;
    private final long token;

    private Hold(StandIn standIn, boolean write, long token) {
      super(standIn, "a " + (write ? "write" : "read") + " Hold of " + name);
      this.standIn = standIn;
      this.write = new AtomicBoolean(write);
      this.token = token;
    }

    /**
     * The grant's fencing token, greater than every earlier grant's of this lock (a downgrade keeps
     * it); see {@link ReadWriteLock}.
     */
    public long token() {
      return token;
    }

    /** Whether this hold is the write lock now. */
    public boolean isWrite() {
      return write.get();
    }

    /** The stand-in actor the lock sees as the holder. */
    public ActorRef<?> owner() {
      return standIn.ref();
    }

    /**
     * Turns the write lock into a read lock atomically; refused with {@code RejectedException} for
     * a read hold.
     */
    public void downgrade() {
      callers
          .ask(
              lock,
              callers.defaultTimeout(),
              "downgrading the write lock of " + name,
              (ActorRef<ReadWriteLock.Reply> replyTo) ->
                  new ReadWriteLock.Downgrade(owner(), replyTo),
              Callers.expect(ReadWriteLock.Downgraded.class, lock))
          .await();
      write.set(false);
    }

    @Override
    protected Call<Void> release() {
      boolean writing = write.get();
      return callers.release(
          standIn,
          lock,
          "releasing the " + (writing ? "write" : "read") + " lock of " + name,
          (ActorRef<ReadWriteLock.Reply> replyTo) ->
              writing
                  ? new ReadWriteLock.ReleaseWrite(owner(), replyTo)
                  : new ReadWriteLock.ReleaseRead(owner(), replyTo),
          Callers.confirmedBy(ReadWriteLock.Released.class, lock));
    }
  }
}
