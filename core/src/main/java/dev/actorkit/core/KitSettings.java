package dev.actorkit.core;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The kit's settings, read from {@code actorkit { … }} in the configuration and validated: the one
 * place that reads them (the caller layer, {@link dev.actorkit.core.call.Callers}, takes its
 * deadline policy from here).
 *
 * @param speed how many times faster than real time story time runs
 * @param askTimeout default timeout of client calls that take none, in story time
 * @param callerMargin real time a client gives a pattern actor beyond a call's timeout to answer
 * @param kitTimeout bound on the kit's own round trips (spawn, join watchers), real time
 * @param nonDaemonTimeout how long {@link ActorKit#close()} waits for non-daemon actors, real time
 */
public record KitSettings(
    double speed,
    Duration askTimeout,
    Duration callerMargin,
    Duration kitTimeout,
    Duration nonDaemonTimeout) {

  public KitSettings {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException(
          "actorkit.clock.speed must be a positive number, was " + speed);
    }
    requirePositive("actorkit.ask-timeout", askTimeout);
    requirePositive("actorkit.caller.margin", callerMargin);
    requirePositive("actorkit.kit-timeout", kitTimeout);
    if (nonDaemonTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "actorkit.shutdown.non-daemon-timeout must not be negative, was " + nonDaemonTimeout);
    }
  }

  /** Reads the settings from a resolved configuration that has actorkit's reference.conf in it. */
  public static KitSettings fromConfig(Config config) {
    Config kit = config.getConfig("actorkit");
    return new KitSettings(
        kit.getDouble("clock.speed"),
        kit.getDuration("ask-timeout"),
        kit.getDuration("caller.margin"),
        kit.getDuration("kit-timeout"),
        kit.getDuration("shutdown.non-daemon-timeout"));
  }

  private static void requirePositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }
}
