package dev.actorkit.patterns.deadlock;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;

/**
 * One {@link DeadlockDetector} per kit: a daemon named {@code deadlock-detector} under the kit's
 * {@code system} branch, started the first time a kit asks for it.
 */
public final class DeadlockDetectors {

  /** The name of the kit's detector under {@code system}. */
  public static final String NAME = "deadlock-detector";

  private DeadlockDetectors() {}

  /** The kit's detector with default settings, started on first use. */
  public static ActorRef<DeadlockDetector.Command> forKit(ActorKit kit) {
    return forKit(kit, DeadlockDetector.Settings.defaults());
  }

  /**
   * The kit's detector, started with {@code settings} on first use; later calls return the same
   * detector whatever settings they pass.
   */
  public static ActorRef<DeadlockDetector.Command> forKit(
      ActorKit kit, DeadlockDetector.Settings settings) {
    Slot slot = Id.INSTANCE.apply(kit.system());
    synchronized (slot) {
      if (slot.detector == null) {
        slot.detector =
            kit.spawn(
                Branch.SYSTEM, NAME, DeadlockDetector.create(settings), SpawnOptions.daemon());
      }
      return slot.detector;
    }
  }

  /** Where a kit keeps its detector: an extension, so it lives and dies with the actor system. */
  private static final class Slot implements Extension {
    private ActorRef<DeadlockDetector.Command> detector;
  }

  private static final class Id extends ExtensionId<Slot> {
    private static final Id INSTANCE = new Id();

    @Override
    public Slot createExtension(ActorSystem<?> system) {
      return new Slot();
    }
  }
}
