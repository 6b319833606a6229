package dev.actorkit.durable;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;

/**
 * The write a durable primitive is waiting for, and what to tell its caller if it fails, by
 * composition. A write the store refuses restarts the entity ({@link #ON_WRITE_FAILURE}: its state
 * is then whatever the store has); before it goes, the entity tells the caller of that write that
 * nothing changed, instead of leaving it to its timeout. Commands that arrived while the write was
 * pending are dropped with the old incarnation, and their callers' timeouts answer them.
 *
 * <p>Only the restart that follows a refused write answers ({@link #failed}): an entity stopped
 * with a write in flight for another reason (its actor system shutting down) answers nothing, as
 * that write may yet have been made. One entity; not thread-safe.
 */
final class PendingWrite {

  /** What every refusal of this kind says. */
  static final String STORE_FAILED =
      "the durable store did not take the change, so nothing changed; try again";

  /**
   * What a durable primitive does when the store refuses a write: it restarts, and so recovers what
   * the store has, after a short pause that grows while the store keeps failing. A restart, unlike
   * a stop, tells the entity ({@code PreRestart}) that a write failed.
   */
  static final BackoffSupervisorStrategy ON_WRITE_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  private Runnable onFailure;

  /** A write starts; if it fails, {@code onFailure} answers its caller. */
  void expect(Runnable onFailure) {
    this.onFailure = onFailure;
  }

  /** The write succeeded. */
  void done() {
    onFailure = null;
  }

  /** The entity restarts because a write failed: the caller of that write hears so. */
  void failed() {
    if (onFailure != null) {
      Runnable answer = onFailure;
      onFailure = null;
      answer.run();
    }
  }
}
