package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import java.time.Duration;

/** What every client of this package shares: the system, its clock, the default timeout, the margins. */
final class ClientSupport {

  /**
   * Real time added to a client's ask beyond the caller's timeout, so that the actor's own
   * {@code TimedOut} (enforced by its timer) normally answers first.
   */
  static final Duration MARGIN = Duration.ofSeconds(2);

  final ActorSystem<?> system;
  final KitClock clock;
  final Duration askTimeout;
  final String name;

  ClientSupport(ActorRef<?> target, ActorSystem<?> system) {
    this.system = system;
    this.clock = KitClock.get(system);
    this.askTimeout = system.settings().config().getDuration("actorkit.ask-timeout");
    this.name = Ask.targetName(target);
  }

  static <T> ActorRef<T> spawn(ActorKit kit, String name, Behavior<T> behavior) {
    return kit.spawn(Branch.PRIMITIVES, name, behavior, SpawnOptions.daemon());
  }

  /** The real-time bound of an ask that lets the actor wait {@code storyTimeout}. */
  Duration askBound(Duration storyTimeout) {
    Duration story = storyTimeout == null || storyTimeout.isNegative() ? Duration.ZERO : storyTimeout;
    return clock.toReal(story).plus(MARGIN);
  }

  /** The real-time bound of a blocking wait on such an ask: a little longer, so the ask's own failure is what surfaces. */
  Duration awaitBound(Duration storyTimeout) {
    return askBound(storyTimeout).plus(MARGIN);
  }
}
