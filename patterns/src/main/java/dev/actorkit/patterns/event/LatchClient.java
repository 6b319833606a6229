package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Latch} for plain Java, shaped like {@code java.util.concurrent.CountDownLatch}:
 * {@code countDown()}, {@code getCount()}, {@code await(timeout)} returning whether it opened.
 *
 * <p>Thread-safe. Timeouts are story time; those not given default to
 * {@code actorkit.ask-timeout}. A count-down at zero throws
 * {@link dev.actorkit.core.errors.RejectedException} (the actor latch refuses it; the
 * {@code java.util.concurrent} one ignores it). A wait that times out leaves the latch's queue;
 * if the calling thread gives up first, the latch drops the wait as it does for a dead waiter.
 */
public final class LatchClient {

  private final ActorRef<Latch.Command> latch;
  private final ClientSupport support;

  private LatchClient(ActorRef<Latch.Command> latch, ActorSystem<?> system) {
    this.latch = latch;
    this.support = new ClientSupport(latch, system);
  }

  /** Spawns a latch of {@code count} named {@code name} under the kit's primitives (a daemon). */
  public static LatchClient create(ActorKit kit, String name, long count) {
    return new LatchClient(ClientSupport.spawn(kit, name, Latch.create(Latch.Settings.of(count))), kit.system());
  }

  /** A client for a latch that already runs in {@code system}. */
  public static LatchClient of(ActorRef<Latch.Command> latch, ActorSystem<?> system) {
    return new LatchClient(latch, system);
  }

  public ActorRef<Latch.Command> ref() {
    return latch;
  }

  /** Counts down by one; completes with the count left, or fails with {@code RejectedException} at zero. */
  public CompletionStage<Long> countDownAsync() {
    return support.askFor(Latch.Count.class, latch, Latch.CountDown::new).thenApply(Latch.Count::remaining);
  }

  /** Counts down by one and returns the count left. */
  public long countDown() {
    return support.await(countDownAsync(), "counting down");
  }

  /** The count now. */
  public long getCount() {
    return support.await(
        support.askFor(Latch.Count.class, latch, Latch.GetCount::new).thenApply(Latch.Count::remaining), "asking");
  }

  /** Waits until the count is zero, at most {@code timeout} (story time): true if it opened. */
  public CompletionStage<Boolean> awaitAsync(Duration timeout) {
    return support.awaitSignal(
        latch, (ActorRef<Latch.Reply> replyTo) -> new Latch.Await(timeout, replyTo), timeout, Latch.Opened.class);
  }

  /** Blocks until the count is zero, at most {@code timeout} (story time): true if it opened, false if the time ran out. */
  public boolean await(Duration timeout) {
    return support.await(awaitAsync(timeout), timeout, "waiting for");
  }
}
