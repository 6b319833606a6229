package dev.actorkit.core.errors;

/**
 * The worker running a task died (an {@code Error}, or the task killed it) before the task
 * finished. The worker was replaced and the pool is still usable.
 */
public class WorkerDiedException extends KitException {

  public WorkerDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
