package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

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
 * <p><b>Ordering:</b> strict FIFO across all callers, actors and threads alike; a large request at
 * the head is not overtaken by smaller ones (see {@link Semaphore}). <b>Timeouts</b> are story
 * time; every method takes one or uses {@code actorkit.ask-timeout}. <b>Callers:</b> each acquire
 * is made by its own stand-in, which holds the permits until the {@link Permit} is closed; a caller
 * that walks away (interrupted, cancelled stage, timed out with the grant in flight) leaves nothing
 * held or queued — the rules of {@link Callers}. <b>Refusals</b> ({@code permits <= 0}, more than
 * the semaphore has, a release beyond what is held) throw {@link
 * dev.actorkit.core.errors.RejectedException}; after the kit has closed every call throws {@link
 * dev.actorkit.core.errors.ClosedException}.
 *
 * <p>The blocking methods are for threads, never for code inside an actor. Thread-safe.
 */
public final class SemaphoreClient {

  private final ActorRef<Semaphore.Command> semaphore;
  private final Callers callers;
  private final String name;

  private SemaphoreClient(ActorRef<Semaphore.Command> semaphore, ActorSystem<?> system) {
    this.semaphore = Objects.requireNonNull(semaphore, "semaphore");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(semaphore);
  }

  /**
   * Spawns a semaphore named {@code name} under the kit's primitives branch (a daemon) and wraps
   * it.
   */
  public static SemaphoreClient create(ActorKit kit, String name, Semaphore.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new SemaphoreClient(
        kit.spawn(Branch.PRIMITIVES, name, Semaphore.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** Wraps a semaphore that already runs in {@code system} (or is reachable from it). */
  public static SemaphoreClient of(ActorRef<Semaphore.Command> semaphore, ActorSystem<?> system) {
    return new SemaphoreClient(semaphore, system);
  }

  /** The semaphore actor, for actors that speak its protocol directly. */
  public ActorRef<Semaphore.Command> ref() {
    return semaphore;
  }

  /**
   * One permit, waiting at most {@code actorkit.ask-timeout}; throws {@link TimedOutException} when
   * it passes.
   */
  public Permit acquire() {
    return acquire(1, callers.defaultTimeout());
  }

  /** {@code permits} permits, waiting at most {@code actorkit.ask-timeout}. */
  public Permit acquire(int permits) {
    return acquire(permits, callers.defaultTimeout());
  }

  /**
   * {@code permits} permits, waiting in FIFO order at most {@code timeout} (story time).
   *
   * @throws TimedOutException if they were not granted in time (the request has left the queue)
   * @throws dev.actorkit.core.errors.RejectedException if the request is refused
   * @throws dev.actorkit.core.errors.InterruptedWaitException if the thread is interrupted while it
   *     waits
   */
  public Permit acquire(int permits, Duration timeout) {
    return acquiring(permits, timeout).await();
  }

  /**
   * Like {@link #acquire(int, Duration)} but an empty result instead of {@link TimedOutException}.
   */
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
   * Asks for {@code permits} and completes with the {@link Permit} once granted; fails with {@link
   * TimedOutException} after {@code timeout} (story time) or with {@code RejectedException}.
   * Cancelling the stage before the grant withdraws the request.
   */
  public CompletionStage<Permit> acquireAsync(int permits, Duration timeout) {
    return acquiring(permits, timeout).async();
  }

  private Call<Permit> acquiring(int permits, Duration timeout) {
    return callers.through(
        semaphore,
        timeout,
        "acquiring " + permits + " permit(s) of " + name,
        (ActorRef<Semaphore.Reply> standIn) ->
            new Semaphore.TryAcquire(permits, timeout, standIn, standIn),
        (reply, standIn) -> {
          if (reply instanceof Semaphore.Granted granted) {
            standIn.keep();
            return new Permit(callers, semaphore, standIn, granted.permits(), granted.token());
          }
          throw Callers.refusal(reply, semaphore);
        });
  }

  /** Free permits now. */
  public int available() {
    return asking(Semaphore.Permits.class, Semaphore.Available::new, "the available permits of ")
        .await()
        .available();
  }

  /** Free permits now, and the total. */
  public CompletionStage<Semaphore.Permits> availableAsync() {
    return asking(Semaphore.Permits.class, Semaphore.Available::new, "the available permits of ")
        .async();
  }

  /** Holders and waiters now. */
  public Semaphore.StatusReport status() {
    return asking(Semaphore.StatusReport.class, Semaphore.Status::new, "the status of ").await();
  }

  /** Holders and waiters now, without blocking. */
  public CompletionStage<Semaphore.StatusReport> statusAsync() {
    return asking(Semaphore.StatusReport.class, Semaphore.Status::new, "the status of ").async();
  }

  private <S extends Semaphore.Reply> Call<S> asking(
      Class<S> expected,
      Function<ActorRef<Semaphore.Reply>, Semaphore.Command> message,
      String what) {
    return callers.ask(
        semaphore,
        callers.defaultTimeout(),
        what + name,
        message,
        Callers.expect(expected, semaphore));
  }
}
