package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.KitClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short-lived owner actors that stand for plain-Java callers: the semaphore or lock watches the
 * owner, so whatever the caller holds comes back when the owner stops — after a release, after
 * a failed acquire (a grant that raced the caller's timeout is freed at once), or when the
 * actor system shuts down.
 */
final class Owners {

  /** The one message an owner understands: stop. */
  enum Stop {
    INSTANCE
  }

  /** Margin (real time) added to a client's ask so that the actor's own {@code TimedOut} normally arrives first. */
  static final Duration ASK_MARGIN = Duration.ofSeconds(3);

  private static final AtomicLong ids = new AtomicLong();

  private Owners() {}

  /** Spawns an owner as a system actor named {@code prefix-N}; cheap and synchronous. */
  static ActorRef<Stop> spawn(ActorSystem<?> system, String prefix) {
    return system.systemActorOf(owner(), prefix + "-" + ids.incrementAndGet(), Props.empty());
  }

  private static Behavior<Stop> owner() {
    return Behaviors.receiveMessage(stop -> Behaviors.stopped());
  }

  /** The real-time bound of a client's ask for a wait of {@code storyTimeout}. */
  static Duration askTimeout(ActorSystem<?> system, Duration storyTimeout) {
    return KitClock.get(system).toReal(storyTimeout).plus(ASK_MARGIN);
  }

  /** The kit's default client timeout ({@code actorkit.ask-timeout}, story time). */
  static Duration defaultTimeout(ActorSystem<?> system) {
    return system.settings().config().getDuration("actorkit.ask-timeout");
  }
}
