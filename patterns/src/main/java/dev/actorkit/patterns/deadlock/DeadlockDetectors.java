package dev.actorkit.patterns.deadlock;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One {@link DeadlockDetector} per kit: a daemon named {@code deadlock-detector} under the kit's
 * {@code system} branch, started the first time a kit asks for it.
 */
public final class DeadlockDetectors {

  /** The name of the kit's detector under {@code system}. */
  public static final String NAME = "deadlock-detector";

  private static final Map<ActorSystem<?>, ActorRef<DeadlockDetector.Command>> detectors = new WeakHashMap<>();

  private DeadlockDetectors() {}

  /** The kit's detector with default settings, started on first use. */
  public static ActorRef<DeadlockDetector.Command> forKit(ActorKit kit) {
    return forKit(kit, DeadlockDetector.Settings.defaults());
  }

  /**
   * The kit's detector, started with {@code settings} on first use; later calls return the same
   * detector whatever settings they pass.
   */
  public static ActorRef<DeadlockDetector.Command> forKit(ActorKit kit, DeadlockDetector.Settings settings) {
    synchronized (detectors) {
      ActorRef<DeadlockDetector.Command> detector = detectors.get(kit.system());
      if (detector == null) {
        detector = kit.spawn(Branch.SYSTEM, NAME, DeadlockDetector.create(settings), SpawnOptions.daemon());
        detectors.put(kit.system(), detector);
      }
      return detector;
    }
  }
}
