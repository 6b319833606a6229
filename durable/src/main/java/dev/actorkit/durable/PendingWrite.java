package dev.actorkit.durable;

/**
 * The write a durable primitive is waiting for, and what to tell its caller if it fails, by
 * composition. A write the store refuses stops the entity (Akka Persistence's rule: its state is
 * then whatever the store has, so it starts again from the store on its next message); before it
 * goes, the entity tells the caller of that write that nothing changed, instead of leaving it to
 * its timeout. Commands that arrived while the write was pending are dropped with the entity, and
 * their callers' timeouts answer them. One entity; not thread-safe.
 */
final class PendingWrite {

  /** What every refusal of this kind says. */
  static final String STORE_FAILED =
      "the durable store did not take the change, so nothing changed; try again";

  private Runnable onFailure;

  /** A write starts; if it fails, {@code onFailure} answers its caller. */
  void expect(Runnable onFailure) {
    this.onFailure = onFailure;
  }

  /** The write succeeded. */
  void done() {
    onFailure = null;
  }

  /** The entity stops: if a write was pending, it failed, and its caller hears so. */
  void stopped() {
    if (onFailure != null) {
      Runnable answer = onFailure;
      onFailure = null;
      answer.run();
    }
  }
}
