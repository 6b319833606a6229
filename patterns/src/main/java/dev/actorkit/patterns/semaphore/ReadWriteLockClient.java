package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>Ordering, writer preference, timeouts and death are those of {@link ReadWriteLock}. Each
 * hold belongs to a short-lived owner actor, stopped when the hold is closed or its acquire
 * fails, so nothing stays held by a caller that gave up. Timeouts are story time. Blocking
 * methods are for threads, never for actors. Thread-safe.
 */
public final class ReadWriteLockClient {

  private final ActorRef<ReadWriteLock.Command> lock;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;

  private ReadWriteLockClient(ActorRef<ReadWriteLock.Command> lock, ActorSystem<?> system, Duration defaultTimeout) {
    this.lock = lock;
    this.system = system;
    this.defaultTimeout = defaultTimeout;
  }

  /** Spawns a read-write lock named {@code name} under the kit's primitives branch (a daemon). */
  public static ReadWriteLockClient create(ActorKit kit, String name) {
    ActorRef<ReadWriteLock.Command> ref = kit.spawn(Branch.PRIMITIVES, name, ReadWriteLock.create(), SpawnOptions.daemon());
    return new ReadWriteLockClient(ref, kit.system(), kit.settings().askTimeout());
  }

  /** Wraps a lock that already runs in {@code system}. */
  public static ReadWriteLockClient of(ActorRef<ReadWriteLock.Command> lock, ActorSystem<?> system) {
    return new ReadWriteLockClient(lock, system, Owners.defaultTimeout(system));
  }

  public ActorRef<ReadWriteLock.Command> ref() {
    return lock;
  }

  /** A read lock, waiting at most {@code actorkit.ask-timeout}. */
  public Hold read() {
    return read(defaultTimeout);
  }

  /** A read lock, waiting at most {@code timeout} (story time); {@link TimedOutException} after. */
  public Hold read(Duration timeout) {
    return Ask.await(readAsync(timeout), Owners.askTimeout(system, timeout), "a read lock");
  }

  /** The write lock, waiting at most {@code actorkit.ask-timeout}. */
  public Hold write() {
    return write(defaultTimeout);
  }

  /** The write lock, waiting at most {@code timeout} (story time); {@link TimedOutException} after. */
  public Hold write(Duration timeout) {
    return Ask.await(writeAsync(timeout), Owners.askTimeout(system, timeout), "the write lock");
  }

  public CompletionStage<Hold> readAsync(Duration timeout) {
    return acquire(false, timeout);
  }

  public CompletionStage<Hold> writeAsync(Duration timeout) {
    return acquire(true, timeout);
  }

  /** Who holds and who waits now. */
  public ReadWriteLock.StatusReport status() {
    return Ask.await(
        Ask.<ReadWriteLock.Command, ReadWriteLock.Reply, ReadWriteLock.StatusReport>askFor(
            ReadWriteLock.StatusReport.class, lock, ReadWriteLock.Status::new, Owners.askTimeout(system, defaultTimeout), system.scheduler()),
        Owners.askTimeout(system, defaultTimeout),
        "the lock's status");
  }

  private CompletionStage<Hold> acquire(boolean write, Duration timeout) {
    ActorRef<Owners.Stop> owner = Owners.spawn(system, write ? "writer" : "reader");
    return Ask.<ReadWriteLock.Command, ReadWriteLock.Reply, ReadWriteLock.Reply>askFor(
            ReadWriteLock.Reply.class,
            lock,
            replyTo -> write ? new ReadWriteLock.AcquireWrite(timeout, owner, replyTo) : new ReadWriteLock.AcquireRead(timeout, owner, replyTo),
            Owners.askTimeout(system, timeout),
            system.scheduler())
        .handle(
            (reply, failure) -> {
              Throwable problem = failure != null ? Ask.unwrap(failure) : Ask.exceptionFor(reply, Ask.targetName(lock));
              if (problem != null) {
                owner.tell(Owners.Stop.INSTANCE);
                throw new CompletionException(problem);
              }
              return new Hold(owner, write);
            });
  }

  /** A read or write lock held by plain-Java code; {@link #close()} releases it. Thread-safe. */
  public final class Hold implements AutoCloseable {

    private final ActorRef<Owners.Stop> owner;
    /** "write", "read", or "released". */
    private final AtomicReference<String> mode;

    private Hold(ActorRef<Owners.Stop> owner, boolean write) {
      this.owner = owner;
      this.mode = new AtomicReference<>(write ? "write" : "read");
    }

    /** Whether this hold is the write lock now. */
    public boolean isWrite() {
      return mode.get().equals("write");
    }

    public ActorRef<?> owner() {
      return owner;
    }

    /** Turns the write lock into a read lock atomically; refused with {@code RejectedException} for a read hold. */
    public void downgrade() {
      Ask.await(
          Ask.<ReadWriteLock.Command, ReadWriteLock.Reply, ReadWriteLock.Downgraded>askFor(
              ReadWriteLock.Downgraded.class, lock, replyTo -> new ReadWriteLock.Downgrade(owner, replyTo),
              Owners.askTimeout(system, defaultTimeout), system.scheduler()),
          Owners.askTimeout(system, defaultTimeout),
          "a downgrade");
      mode.compareAndSet("write", "read");
    }

    /** Releases the lock (once) and stops the owner. */
    @Override
    public void close() {
      String was = mode.getAndSet("released");
      if (was.equals("released")) {
        return;
      }
      boolean write = was.equals("write");
      try {
        Ask.await(
            Ask.<ReadWriteLock.Command, ReadWriteLock.Reply, ReadWriteLock.Released>askFor(
                ReadWriteLock.Released.class,
                lock,
                replyTo -> write ? new ReadWriteLock.ReleaseWrite(owner, replyTo) : new ReadWriteLock.ReleaseRead(owner, replyTo),
                Owners.askTimeout(system, defaultTimeout),
                system.scheduler()),
            Owners.askTimeout(system, defaultTimeout),
            "releasing the " + was + " lock");
      } finally {
        owner.tell(Owners.Stop.INSTANCE);
      }
    }
  }
}
