package dev.actorkit.core;

/** How an actor in the kit's tree ends. */
public enum Lifetime {
  /** The guardian or one of its branches: lives as long as the kit. */
  KIT,
  /** Spawned with the kit; {@link ActorKit#close()} waits for it to stop by itself. */
  NON_DAEMON,
  /** Spawned with the kit; {@link ActorKit#close()} stops it at once. */
  DAEMON,
  /** Spawned by another actor with {@link ActorKit#spawnChild}; stops with its parent. */
  CHILD
}
