package dev.actorkit.core;

import java.time.Duration;

/**
 * The three subtrees under the kit's guardian. Each runs its actors on a dispatcher and supervises
 * them by a rule of its own unless a spawn says otherwise.
 */
public enum Branch {

  /**
   * Mutexes, semaphores, events, buffers, accounts, pipes, managers. A failing handler is resumed:
   * a primitive's state (who holds the lock, who waits) must survive a bad message.
   */
  PRIMITIVES("primitives", KitDispatcher.COORDINATION, Supervision.resume()),

  /** Pool coordinators; their workers live below them on the blocking or compute dispatcher. */
  POOLS(
      "pools",
      KitDispatcher.COORDINATION,
      Supervision.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2)),

  /** The kit's own helpers: deadlock detector, join watchers, reapers. */
  SYSTEM("system", KitDispatcher.COORDINATION, Supervision.restart());

  private final String actorName;
  private final KitDispatcher dispatcher;
  private final Supervision supervision;

  Branch(String actorName, KitDispatcher dispatcher, Supervision supervision) {
    this.actorName = actorName;
    this.dispatcher = dispatcher;
    this.supervision = supervision;
  }

  /** The branch actor's name, the path element under the guardian. */
  public String actorName() {
    return actorName;
  }

  /** The dispatcher of the branch actor and, by default, of the actors spawned under it. */
  public KitDispatcher dispatcher() {
    return dispatcher;
  }

  /** How actors spawned under this branch are supervised unless a spawn says otherwise. */
  public Supervision supervision() {
    return supervision;
  }
}
