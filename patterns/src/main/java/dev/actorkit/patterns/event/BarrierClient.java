package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Barrier} for plain Java, shaped like Python's {@code threading.Barrier}:
 * {@code await(timeout)} returns the arrival index; a broken barrier throws
 * {@link BrokenBarrierException}; {@code reset()} and {@code abort()}.
 *
 * <p>Thread-safe. Timeouts are story time. If this caller's wait times out, it throws
 * {@link dev.actorkit.core.errors.TimedOutException} and the barrier breaks for the others. If
 * the calling thread gives up before the barrier answers, the temporary actor behind the ask
 * stops and the barrier breaks, as it does when any waiting party dies.
 */
public final class BarrierClient {

  /** The barrier was broken (a timeout, a death, a failed action, a reset or an abort) while or before this party waited. */
  public static final class BrokenBarrierException extends RejectedException {
    private final long generation;

    public BrokenBarrierException(String target, Barrier.Broken broken) {
      super(target, broken.reason());
      this.generation = broken.generation();
    }

    /** The generation in which it broke. */
    public long generation() {
      return generation;
    }
  }

  private final ActorRef<Barrier.Command> barrier;
  private final ClientSupport support;

  private BarrierClient(ActorRef<Barrier.Command> barrier, ActorSystem<?> system) {
    this.barrier = barrier;
    this.support = new ClientSupport(barrier, system);
  }

  /** Spawns a barrier named {@code name} under the kit's primitives (a daemon). */
  public static BarrierClient create(ActorKit kit, String name, Barrier.Settings settings) {
    return new BarrierClient(ClientSupport.spawn(kit, name, Barrier.create(settings)), kit.system());
  }

  /** A client for a barrier that already runs in {@code system}. */
  public static BarrierClient of(ActorRef<Barrier.Command> barrier, ActorSystem<?> system) {
    return new BarrierClient(barrier, system);
  }

  public ActorRef<Barrier.Command> ref() {
    return barrier;
  }

  /**
   * Arrives and waits for the generation to fill, at most {@code timeout} (story time);
   * completes with this party's arrival index, or fails with {@link BrokenBarrierException} or
   * {@code TimedOutException}.
   */
  public CompletionStage<Integer> awaitAsync(Duration timeout) {
    return support
        .askToWait(barrier, (ActorRef<Barrier.Reply> replyTo) -> new Barrier.Await(timeout, replyTo), timeout)
        .thenApply(
            reply -> {
              if (reply instanceof Barrier.Passed passed) {
                return passed.index();
              }
              if (reply instanceof Barrier.Broken broken) {
                throw new CompletionException(new BrokenBarrierException(support.name, broken));
              }
              throw support.unexpected(reply);
            });
  }

  /** Blocks until the generation fills, at most {@code timeout} (story time); returns the arrival index. */
  public int await(Duration timeout) {
    return support.await(awaitAsync(timeout), timeout, "passing");
  }

  /** Re-arms the barrier; parties waiting hear that it broke. Returns the new generation. */
  public long reset() {
    return support.await(
        support.askFor(Barrier.WasReset.class, barrier, Barrier.Reset::new).thenApply(Barrier.WasReset::generation), "resetting");
  }

  /** Breaks the barrier; returns how many waiting parties heard it. */
  public int abort() {
    return support.await(
        support.askFor(Barrier.Aborted.class, barrier, Barrier.Abort::new).thenApply(Barrier.Aborted::brokenWaiters), "aborting");
  }

  /** The barrier's parties, waiting count, generation and whether it is broken. */
  public Barrier.Status status() {
    return support.await(support.askFor(Barrier.Status.class, barrier, Barrier.GetStatus::new), "asking");
  }
}
