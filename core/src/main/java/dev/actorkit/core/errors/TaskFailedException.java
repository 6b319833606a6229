package dev.actorkit.core.errors;

/**
 * The task behind a future raised an exception; {@link #getCause()} is what it raised, as Python's
 * {@code future.result()} re-raises the task's exception.
 */
public class TaskFailedException extends KitException {

  public TaskFailedException(String task, Throwable cause) {
    super(task + " raised " + cause, cause);
  }
}
