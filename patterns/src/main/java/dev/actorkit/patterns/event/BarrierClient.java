package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.BrokenBarrierException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Barrier} for plain Java, shaped like Python's {@code threading.Barrier}: {@code
 * await(timeout)} returns the arrival index; a broken barrier throws {@link
 * BrokenBarrierException}; {@code reset()} and {@code abort()}.
 *
 * <p>Thread-safe. Timeouts are story time. If this caller's wait times out, it throws {@link
 * dev.actorkit.core.errors.TimedOutException} and the barrier breaks for the others. Each wait is
 * made by its own stand-in: if the caller walks away before the barrier answers (interrupted,
 * cancelled stage), the stand-in stops and the barrier breaks, as it does when any waiting party
 * dies (the rules of {@link Callers}).
 */
public final class BarrierClient {

  private final ActorRef<Barrier.Command> barrier;
  private final Callers callers;
  private final String name;

  private BarrierClient(ActorRef<Barrier.Command> barrier, ActorSystem<?> system) {
    this.barrier = Objects.requireNonNull(barrier, "barrier");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(barrier);
  }

  /** Spawns a barrier named {@code name} under the kit's primitives (a daemon). */
  public static BarrierClient create(ActorKit kit, String name, Barrier.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new BarrierClient(
        kit.spawn(Branch.PRIMITIVES, name, Barrier.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** A client for a barrier that already runs in {@code system}. */
  public static BarrierClient of(ActorRef<Barrier.Command> barrier, ActorSystem<?> system) {
    return new BarrierClient(barrier, system);
  }

  public ActorRef<Barrier.Command> ref() {
    return barrier;
  }

  /**
   * Arrives and waits for the generation to fill, at most {@code timeout} (story time); completes
   * with this party's arrival index, or fails with {@link BrokenBarrierException} or {@code
   * TimedOutException}.
   */
  public CompletionStage<Integer> awaitAsync(Duration timeout) {
    return waiting(timeout).async();
  }

  /**
   * Blocks until the generation fills, at most {@code timeout} (story time); returns the arrival
   * index.
   */
  public int await(Duration timeout) {
    return waiting(timeout).await();
  }

  private Call<Integer> waiting(Duration timeout) {
    return callers.through(
        barrier,
        timeout,
        "passing " + name,
        (ActorRef<Barrier.Reply> standIn) -> new Barrier.Await(timeout, standIn),
        (reply, standIn) -> {
          if (reply instanceof Barrier.Passed passed) {
            return passed.index();
          }
          if (reply instanceof Barrier.Broken broken) {
            throw new BrokenBarrierException(name, broken.generation(), broken.reason());
          }
          throw Callers.refusal(reply, barrier);
        });
  }

  /** Re-arms the barrier; parties waiting hear that it broke. Returns the new generation. */
  public long reset() {
    return callers
        .ask(
            barrier,
            callers.defaultTimeout(),
            "resetting " + name,
            Barrier.Reset::new,
            Callers.expect(Barrier.WasReset.class, barrier))
        .await()
        .generation();
  }

  /** Breaks the barrier; returns how many waiting parties heard it. */
  public int abort() {
    return callers
        .ask(
            barrier,
            callers.defaultTimeout(),
            "aborting " + name,
            Barrier.Abort::new,
            Callers.expect(Barrier.Aborted.class, barrier))
        .await()
        .brokenWaiters();
  }

  /** The barrier's parties, waiting count, generation and whether it is broken. */
  public Barrier.Status status() {
    return callers
        .ask(
            barrier,
            callers.defaultTimeout(),
            "the status of " + name,
            Barrier.GetStatus::new,
            Callers.expect(Barrier.Status.class, barrier))
        .await();
  }
}
