package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;

/** Python's {@code pool.join()} for every pool client: the one rule, written once. */
public final class PoolJoin {

  private PoolJoin() {}

  /**
   * Waits up to {@code timeout} (story time) for the pool actor to stop.
   *
   * @param pool how the pool reads in messages ("pool 'downloads'")
   * @return true if it has stopped
   * @throws IllegalStateException if the pool was not shut down first (its admission is open), as
   *     in Python
   */
  public static boolean join(
      ActorSystem<?> system,
      ActorRef<?> actor,
      Admission admission,
      Duration timeout,
      String pool) {
    if (!admission.isClosed()) {
      throw new IllegalStateException(
          pool + " is still running: shut it down (close()) before join()");
    }
    try {
      Ask.await(
          ActorKit.joinAsync(system, actor, timeout),
          Callers.get(system).answerBound(timeout),
          pool + " to stop");
      return true;
    } catch (TimedOutException e) {
      return false;
    }
  }
}
