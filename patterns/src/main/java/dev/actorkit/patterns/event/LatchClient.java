package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
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
    return Ask.askFor(Latch.Count.class, latch, Latch.CountDown::new, support.askBound(support.askTimeout), support.system.scheduler())
        .thenApply(Latch.Count::remaining);
  }

  /** Counts down by one and returns the count left. */
  public long countDown() {
    return Ask.await(countDownAsync(), support.awaitBound(support.askTimeout), "counting down " + support.name);
  }

  /** The count now. */
  public long getCount() {
    return Ask.await(
        Ask.askFor(Latch.Count.class, latch, Latch.GetCount::new, support.askBound(support.askTimeout), support.system.scheduler())
            .thenApply(Latch.Count::remaining),
        support.awaitBound(support.askTimeout),
        "asking " + support.name);
  }

  /** Waits until the count is zero, at most {@code timeout} (story time): true if it opened. */
  public CompletionStage<Boolean> awaitAsync(Duration timeout) {
    return Ask.<Latch.Command, Latch.Reply>ask(
            latch, replyTo -> new Latch.Await(timeout, replyTo), support.askBound(timeout), support.system.scheduler())
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                Throwable cause = Ask.unwrap(failure);
                if (cause instanceof TimedOutException) {
                  return false;
                }
                throw new CompletionException(cause);
              }
              if (reply instanceof Latch.Opened) {
                return true;
              }
              if (reply instanceof Latch.TimedOut) {
                return false;
              }
              RuntimeException refused = Ask.exceptionFor(reply, support.name);
              throw new CompletionException(refused != null ? refused : new IllegalStateException("unexpected " + reply));
            });
  }

  /** Blocks until the count is zero, at most {@code timeout} (story time): true if it opened, false if the time ran out. */
  public boolean await(Duration timeout) {
    return Ask.await(awaitAsync(timeout), support.awaitBound(timeout), "waiting for " + support.name);
  }
}
