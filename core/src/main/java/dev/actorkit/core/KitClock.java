package dev.actorkit.core;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;

/**
 * The kit's notion of time: <em>story time</em> runs {@link #speed()} times faster than real time.
 *
 * <p>Every duration a caller hands to actorkit — a lock's lease, a room's stay, a client's timeout
 * — is story time. Pattern actors convert it with {@link #toReal(Duration)} before they start a
 * timer, so {@code actorkit.clock.speed = 20} makes a 2-second stay last 100 ms of real time and
 * the same demo or test runs twenty times faster without changing a number in it. The one exception
 * is {@code actorkit.shutdown.non-daemon-timeout}, which bounds a real wait and is real time.
 *
 * <p>One clock exists per {@link ActorSystem} (an Akka extension), so a pattern finds it from its
 * {@code ActorContext} whether it runs inside an {@link ActorKit} or in a bare {@code
 * ActorTestKit}.
 */
public final class KitClock implements Extension {

  private final double speed;
  private final long startNanos;

  private KitClock(double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException(
          "actorkit.clock.speed must be a positive number, was " + speed);
    }
    this.speed = speed;
    this.startNanos = System.nanoTime();
  }

  /**
   * The clock of this actor system, configured by {@code actorkit.clock.speed}. Under {@code
   * BehaviorTestKit}, whose stub system cannot hold extensions, a fresh clock read from the stub's
   * configuration.
   */
  public static KitClock get(ActorSystem<?> system) {
    try {
      return Id.INSTANCE.apply(system);
    } catch (UnsupportedOperationException stubSystem) {
      return Id.INSTANCE.createExtension(system);
    }
  }

  /** A clock that is not tied to an actor system, for pure code and tests. */
  public static KitClock withSpeed(double speed) {
    return new KitClock(speed);
  }

  /** How many times faster than real time story time runs (1.0 is real time). */
  public double speed() {
    return speed;
  }

  /** The real duration that lasts as long as {@code storyTime} does on this clock. */
  public Duration toReal(Duration storyTime) {
    return Duration.ofNanos(Math.round(storyTime.toNanos() / speed));
  }

  /** The story duration that a real duration corresponds to on this clock. */
  public Duration toStory(Duration realTime) {
    return Duration.ofNanos(storyNanos(realTime.toNanos()));
  }

  private long storyNanos(long realNanos) {
    return speed == 1.0 ? realNanos : Math.round(realNanos * speed);
  }

  /** Story time elapsed since this clock started. Monotonic. */
  public Duration now() {
    return Duration.ofNanos(nowNanos());
  }

  /**
   * {@link #now()} in nanoseconds, with no {@code Duration} made: for state that stamps every grant
   * (a mutex's holds). A reading costs what {@code System.nanoTime()} does, tens of nanoseconds on
   * a virtual machine, so a hot path reads it only when it keeps the answer.
   */
  public long nowNanos() {
    return storyNanos(System.nanoTime() - startNanos);
  }

  /** Registers the clock as an Akka extension; one instance per actor system. */
  public static final class Id extends ExtensionId<KitClock> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public KitClock createExtension(ActorSystem<?> system) {
      return new KitClock(system.settings().config().getDouble("actorkit.clock.speed"));
    }
  }
}
