package dev.actorkit.core;

import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;

/**
 * What happens to an actor when one of its message handlers throws an exception. A value, so the
 * kit can both apply it and show it in {@link ActorKit#tree()}.
 */
public sealed interface Supervision {

  /** Wraps {@code behavior} so that failures are handled by this rule. */
  <T> Behavior<T> applyTo(Behavior<T> behavior);

  /** How {@link ActorKit#tree()} shows this rule. */
  String describe();

  /**
   * Keep the actor and its state; drop the message that failed. Right for primitives, whose state
   * is the point.
   */
  static Supervision resume() {
    return new Resume();
  }

  /** Start the actor again from its initial behavior, at once. */
  static Supervision restart() {
    return new Restart();
  }

  /**
   * Start the actor again after a pause that doubles on each failure, from {@code min} to {@code
   * max}.
   */
  static Supervision restartWithBackoff(Duration min, Duration max, double randomFactor) {
    return new RestartWithBackoff(min, max, randomFactor);
  }

  /** Let the actor stop (Akka's default). */
  static Supervision stop() {
    return new Stop();
  }

  /** See {@link Supervision#resume()}. */
  record Resume() implements Supervision {
    @Override
    public <T> Behavior<T> applyTo(Behavior<T> behavior) {
      return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.resume());
    }

    @Override
    public String describe() {
      return "resume";
    }
  }

  /** See {@link Supervision#restart()}. */
  record Restart() implements Supervision {
    @Override
    public <T> Behavior<T> applyTo(Behavior<T> behavior) {
      return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
    }

    @Override
    public String describe() {
      return "restart";
    }
  }

  /** See {@link Supervision#restartWithBackoff(Duration, Duration, double)}. */
  record RestartWithBackoff(Duration min, Duration max, double randomFactor)
      implements Supervision {
    public RestartWithBackoff {
      if (min.isNegative() || max.compareTo(min) < 0 || randomFactor < 0) {
        throw new IllegalArgumentException(
            "backoff needs 0 <= min <= max and randomFactor >= 0, got "
                + min
                + ", "
                + max
                + ", "
                + randomFactor);
      }
    }

    @Override
    public <T> Behavior<T> applyTo(Behavior<T> behavior) {
      return Behaviors.supervise(behavior)
          .onFailure(SupervisorStrategy.restartWithBackoff(min, max, randomFactor));
    }

    @Override
    public String describe() {
      return "restart with backoff " + min.toMillis() + "ms.." + max.toMillis() + "ms";
    }
  }

  /** See {@link Supervision#stop()}. */
  record Stop() implements Supervision {
    @Override
    public <T> Behavior<T> applyTo(Behavior<T> behavior) {
      return behavior;
    }

    @Override
    public String describe() {
      return "stop";
    }
  }
}
