package dev.actorkit.core;

/**
 * The reply convention for bad input: a pattern actor never throws at a caller and never changes
 * its state for a request it refuses; it answers a {@code Rejected(reason)} record that implements
 * this interface.
 *
 * <p>{@link Ask} turns such a reply into a {@link dev.actorkit.core.errors.RejectedException} for
 * plain-Java callers.
 */
public interface RejectedReply {

  /** Why the request was refused, in words a caller can act on. */
  String reason();
}
