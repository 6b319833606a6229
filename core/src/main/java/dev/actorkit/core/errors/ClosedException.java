package dev.actorkit.core.errors;

/** The kit, or the pattern the call went to, is closed or stopped and takes no more work. */
public class ClosedException extends KitException {

  public ClosedException(String message) {
    super(message);
  }

  public ClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
