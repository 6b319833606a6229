package dev.actorkit.durable;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;

/**
 * The write a durable primitive is waiting for, by composition: what it writes, what follows when
 * it is made, and what to tell its caller if it is not. A write the store refuses restarts the
 * entity ({@link #ON_WRITE_FAILURE}), which then recovers what the store has; a refusal can be
 * ambiguous (the write committed, its acknowledgement was lost), so the entity decides only once it
 * has recovered ({@link #recovered}): if the store has the state it tried to write, the write was
 * made and what follows it runs as usual; if not, its caller hears that nothing changed. Commands
 * that arrived meanwhile wait in Akka's stash and are handled after the recovery.
 *
 * <p>An entity stopped with a write in flight for another reason (its JVM shutting down) answers
 * nothing: that write may have been made. One entity; not thread-safe.
 *
 * @param <S> the state the entity writes
 */
final class PendingWrite<S> {

  /**
   * What a durable primitive does when the store refuses a write: it restarts, and so recovers what
   * the store has, after a short pause that grows while the store keeps failing.
   */
  static final BackoffSupervisorStrategy ON_WRITE_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  /** What every refusal of this kind says. */
  static final String STORE_FAILED =
      "the durable store did not take the change, so nothing changed; try again";

  private S next;
  private Runnable made;
  private Runnable refused;
  private boolean failed;

  /** A write of {@code next} starts: {@code made} follows it, {@code refused} answers otherwise. */
  void expect(S next, Runnable made, Runnable refused) {
    this.next = next;
    this.made = made;
    this.refused = refused;
    this.failed = false;
  }

  /** The write was made (its acknowledgement came). */
  void done() {
    next = null;
    made = null;
    refused = null;
  }

  /** The entity restarts because the pending write failed: decide once it has recovered. */
  void failed() {
    failed = next != null;
  }

  /** The entity recovered {@code state}: settles a write that failed, by what the store has. */
  void recovered(S state) {
    if (!failed) {
      return;
    }
    failed = false;
    Runnable outcome = state.equals(next) ? made : refused;
    done();
    outcome.run();
  }
}
