package dev.actorkit.core;

import java.time.Duration;

/**
 * The reply convention for a wait that ran out: a pattern actor answers a {@code TimedOut} record
 * that implements this interface when the deadline its own timer enforces passes, and the waiter
 * has then left every queue.
 *
 * <p>{@link Ask} turns such a reply into a {@link dev.actorkit.core.errors.TimedOutException}.
 */
public interface TimedOutReply {

  /** How long the caller asked to wait, in story time. */
  Duration waited();
}
