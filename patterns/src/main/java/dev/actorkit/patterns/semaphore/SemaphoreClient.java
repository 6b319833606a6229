package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Semaphore} for plain Java, in the words of {@code java.util.concurrent.Semaphore}:
 *
 * <pre>{@code
 * SemaphoreClient room = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(2));
 * try (Permit p = room.acquire()) {
 *   // at most two threads in here
 * }
 * }</pre>
 *
 * <p><b>Ordering:</b> strict FIFO across all callers, actors and threads alike; a large request
 * at the head is not overtaken by smaller ones (see {@link Semaphore}). <b>Timeouts</b> are story
 * time; every method takes one or uses {@code actorkit.ask-timeout}. When a wait times out the
 * request has left the queue; the owner actor made for it is stopped, so even a grant that
 * raced the timeout is given back. <b>Death:</b> each acquire is held by a short-lived owner
 * actor; its permits return when the {@link Permit} is closed or the owner stops.
 * <b>Refusals</b> ({@code permits <= 0}, more than the semaphore has, a release beyond what is
 * held) throw {@link dev.actorkit.core.errors.RejectedException}.
 *
 * <p>The blocking methods are for threads, never for code inside an actor. Thread-safe.
 */
public final class SemaphoreClient {

  private final ActorRef<Semaphore.Command> semaphore;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;

  private SemaphoreClient(ActorRef<Semaphore.Command> semaphore, ActorSystem<?> system, Duration defaultTimeout) {
    this.semaphore = semaphore;
    this.system = system;
    this.defaultTimeout = defaultTimeout;
  }

  /** Spawns a semaphore named {@code name} under the kit's primitives branch (a daemon) and wraps it. */
  public static SemaphoreClient create(ActorKit kit, String name, Semaphore.Settings settings) {
    ActorRef<Semaphore.Command> ref = kit.spawn(Branch.PRIMITIVES, name, Semaphore.create(settings), SpawnOptions.daemon());
    return new SemaphoreClient(ref, kit.system(), kit.settings().askTimeout());
  }

  /** Wraps a semaphore that already runs in {@code system}. */
  public static SemaphoreClient of(ActorRef<Semaphore.Command> semaphore, ActorSystem<?> system) {
    return new SemaphoreClient(semaphore, system, Owners.defaultTimeout(system));
  }

  /** The semaphore actor, for actors that speak its protocol directly. */
  public ActorRef<Semaphore.Command> ref() {
    return semaphore;
  }

  /** One permit, waiting at most {@code actorkit.ask-timeout}; throws {@link TimedOutException} when it passes. */
  public Permit acquire() {
    return acquire(1, defaultTimeout);
  }

  /** {@code permits} permits, waiting at most {@code actorkit.ask-timeout}. */
  public Permit acquire(int permits) {
    return acquire(permits, defaultTimeout);
  }

  /**
   * {@code permits} permits, waiting in FIFO order at most {@code timeout} (story time).
   *
   * @throws TimedOutException if they were not granted in time (the request has left the queue)
   * @throws dev.actorkit.core.errors.RejectedException if the request is refused
   */
  public Permit acquire(int permits, Duration timeout) {
    return Ask.await(acquireAsync(permits, timeout), Owners.askTimeout(system, timeout), "acquiring " + permits + " permits");
  }

  /** Like {@link #acquire(int, Duration)} but an empty result instead of {@link TimedOutException}. */
  public Optional<Permit> tryAcquire(int permits, Duration timeout) {
    try {
      return Optional.of(acquire(permits, timeout));
    } catch (TimedOutException e) {
      return Optional.empty();
    }
  }

  /** One permit only if it can be granted at once (nobody waits and one is free). */
  public Optional<Permit> tryAcquire() {
    return tryAcquire(1, Duration.ZERO);
  }

  /**
   * Asks for {@code permits} and completes with the {@link Permit} once granted; fails with
   * {@link TimedOutException} after {@code timeout} (story time) or with {@code RejectedException}.
   */
  public CompletionStage<Permit> acquireAsync(int permits, Duration timeout) {
    ActorRef<Owners.Stop> owner = Owners.spawn(system, "semaphore-owner");
    return Ask.<Semaphore.Command, Semaphore.Reply, Semaphore.Granted>askFor(
            Semaphore.Granted.class,
            semaphore,
            replyTo -> new Semaphore.TryAcquire(permits, timeout, owner, replyTo),
            Owners.askTimeout(system, timeout),
            system.scheduler())
        .handle(
            (granted, failure) -> {
              if (failure != null) {
                owner.tell(Owners.Stop.INSTANCE);
                throw new CompletionException(Ask.unwrap(failure));
              }
              return new Permit(semaphore, owner, system, granted.permits(), defaultTimeout);
            });
  }

  /** Free permits now. */
  public int available() {
    return Ask.await(availableAsync(), Owners.askTimeout(system, defaultTimeout), "the available permits").available();
  }

  public CompletionStage<Semaphore.Permits> availableAsync() {
    return Ask.<Semaphore.Command, Semaphore.Reply, Semaphore.Permits>askFor(
        Semaphore.Permits.class, semaphore, Semaphore.Available::new, Owners.askTimeout(system, defaultTimeout), system.scheduler());
  }

  /** Holders and waiters now. */
  public Semaphore.StatusReport status() {
    return Ask.await(statusAsync(), Owners.askTimeout(system, defaultTimeout), "the semaphore's status");
  }

  public CompletionStage<Semaphore.StatusReport> statusAsync() {
    return Ask.<Semaphore.Command, Semaphore.Reply, Semaphore.StatusReport>askFor(
        Semaphore.StatusReport.class, semaphore, Semaphore.Status::new, Owners.askTimeout(system, defaultTimeout), system.scheduler());
  }
}
