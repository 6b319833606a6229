package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;

/**
 * The kit clock and tracer of the system an actor runs in, found once when it starts.
 *
 * <p>{@code BehaviorTestKit}'s stand-in system cannot hold Akka extensions; there the clock
 * runs at the configured speed (or 1) and tracing is off, so protocol tests can run the real
 * behaviours step by step.
 */
final class Instruments {

  private final KitClock clock;
  private final Tracer tracer;

  private Instruments(KitClock clock, Tracer tracer) {
    this.clock = clock;
    this.tracer = tracer;
  }

  static Instruments of(ActorSystem<?> system) {
    try {
      return new Instruments(KitClock.get(system), Tracer.get(system));
    } catch (UnsupportedOperationException extensionsUnsupported) {
      double speed = system.settings().config().hasPath("actorkit.clock.speed")
          ? system.settings().config().getDouble("actorkit.clock.speed")
          : 1.0;
      return new Instruments(KitClock.withSpeed(speed), null);
    }
  }

  /** Story time to real time, for a timer. */
  Duration toReal(Duration storyTime) {
    return clock.toReal(storyTime);
  }

  void emit(ActorRef<?> actor, String kind, Object detail) {
    if (tracer != null) {
      tracer.emit(actor, kind, detail);
    }
  }
}
