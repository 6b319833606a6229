package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Latch} for plain Java, shaped like {@code java.util.concurrent.CountDownLatch}: {@code
 * countDown()}, {@code getCount()}, {@code await(timeout)} returning whether it opened.
 *
 * <p>Thread-safe. Timeouts are story time; those not given default to {@code actorkit.ask-timeout}.
 * A count-down at zero throws {@link dev.actorkit.core.errors.RejectedException} (the actor latch
 * refuses it; the {@code java.util.concurrent} one ignores it). A wait that times out has left the
 * latch's queue; a caller that walks away leaves nothing queued either (the rules of {@link
 * Callers}).
 */
public final class LatchClient {

  private final ActorRef<Latch.Command> latch;
  private final Callers callers;
  private final String name;

  private LatchClient(ActorRef<Latch.Command> latch, ActorSystem<?> system) {
    this.latch = Objects.requireNonNull(latch, "latch");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(latch);
  }

  /**
   * Spawns a latch with these settings named {@code name} under the kit's primitives (a daemon).
   */
  public static LatchClient create(ActorKit kit, String name, Latch.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new LatchClient(
        kit.spawn(Branch.PRIMITIVES, name, Latch.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** Spawns a latch of {@code count} named {@code name} under the kit's primitives (a daemon). */
  public static LatchClient create(ActorKit kit, String name, long count) {
    return create(kit, name, Latch.Settings.of(count));
  }

  /** A client for a latch that already runs in {@code system}. */
  public static LatchClient of(ActorRef<Latch.Command> latch, ActorSystem<?> system) {
    return new LatchClient(latch, system);
  }

  public ActorRef<Latch.Command> ref() {
    return latch;
  }

  /**
   * Counts down by one; completes with the count left, or fails with {@code RejectedException} at
   * zero.
   */
  public CompletionStage<Long> countDownAsync() {
    return countingDown().map(Latch.Count::remaining).async();
  }

  /** Counts down by one and returns the count left. */
  public long countDown() {
    return countingDown().await().remaining();
  }

  private Call<Latch.Count> countingDown() {
    return callers.ask(
        latch,
        callers.defaultTimeout(),
        "counting down " + name,
        Latch.CountDown::new,
        Callers.expect(Latch.Count.class, latch));
  }

  /** The count now. */
  public long getCount() {
    return status().remaining();
  }

  /** The count now and how many wait. */
  public Latch.Count status() {
    return callers
        .ask(
            latch,
            callers.defaultTimeout(),
            "the count of " + name,
            Latch.GetCount::new,
            Callers.expect(Latch.Count.class, latch))
        .await();
  }

  /**
   * Waits until the count is zero, at most {@code timeout} (story time): true if it opened.
   * Cancelling the stage withdraws the wait.
   */
  public CompletionStage<Boolean> awaitAsync(Duration timeout) {
    return waiting(timeout).async();
  }

  /**
   * Blocks until the count is zero, at most {@code timeout} (story time): true if it opened, false
   * if the time ran out.
   */
  public boolean await(Duration timeout) {
    return Signals.await(waiting(timeout));
  }

  private Call<Boolean> waiting(Duration timeout) {
    return callers.through(
        latch,
        timeout,
        "waiting for " + name,
        (ActorRef<Latch.Reply> standIn) -> new Latch.Await(timeout, standIn),
        (reply, standIn) -> Signals.fired(reply, Latch.Opened.class, latch));
  }
}
