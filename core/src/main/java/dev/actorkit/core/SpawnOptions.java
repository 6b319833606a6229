package dev.actorkit.core;

/**
 * How an actor spawned with {@link ActorKit#spawn(Branch, String, akka.actor.typed.Behavior,
 * SpawnOptions)} lives: its dispatcher, its supervision, and whether it is a daemon.
 *
 * <p>A {@code null} dispatcher or supervision means the branch's own. A <em>daemon</em> actor is
 * stopped at once when the kit closes; {@link ActorKit#close()} waits for a non-daemon actor to
 * stop by itself, as Python's interpreter waits for non-daemon threads at exit.
 */
public record SpawnOptions(KitDispatcher dispatcher, Supervision supervision, boolean isDaemon) {

  private static final SpawnOptions DEFAULTS = new SpawnOptions(null, null, false);

  /** The branch's dispatcher and supervision; not a daemon. */
  public static SpawnOptions defaults() {
    return DEFAULTS;
  }

  /** The branch's dispatcher and supervision; a daemon. */
  public static SpawnOptions daemon() {
    return new SpawnOptions(null, null, true);
  }

  /** These options, but as a daemon. */
  public SpawnOptions asDaemon() {
    return new SpawnOptions(dispatcher, supervision, true);
  }

  /** These options, on {@code dispatcher}. */
  public SpawnOptions on(KitDispatcher dispatcher) {
    return new SpawnOptions(dispatcher, supervision, isDaemon);
  }

  /** These options, supervised by {@code supervision}. */
  public SpawnOptions supervisedBy(Supervision supervision) {
    return new SpawnOptions(dispatcher, supervision, isDaemon);
  }

  KitDispatcher dispatcherIn(Branch branch) {
    return dispatcher != null ? dispatcher : branch.dispatcher();
  }

  Supervision supervisionIn(Branch branch) {
    return supervision != null ? supervision : branch.supervision();
  }
}
