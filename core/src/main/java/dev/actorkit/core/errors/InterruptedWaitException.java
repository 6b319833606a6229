package dev.actorkit.core.errors;

/**
 * The thread blocked in a client call was interrupted. The thread's interrupt flag is set again
 * before this is thrown, so code further up still sees the interruption.
 */
public class InterruptedWaitException extends KitException {

  public InterruptedWaitException(String what, InterruptedException cause) {
    super("interrupted while waiting for " + what, cause);
  }
}
