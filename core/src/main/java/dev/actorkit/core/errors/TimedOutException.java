package dev.actorkit.core.errors;

import java.time.Duration;

/**
 * A wait ran past its deadline: the actor answered {@code TimedOut}, or it did not answer in time
 * at all. Either way the caller no longer waits in the actor's queue.
 */
public class TimedOutException extends KitException {

  private final Duration waited;

  public TimedOutException(String what, Duration waited) {
    super(what + " did not happen within " + waited);
    this.waited = waited;
  }

  public TimedOutException(String what, Duration waited, Throwable cause) {
    super(what + " did not happen within " + waited, cause);
    this.waited = waited;
  }

  /** How long the caller waited. */
  public Duration waited() {
    return waited;
  }
}
