package dev.actorkit.core.errors;

import java.util.List;

/**
 * The tasks of a {@link dev.actorkit.core.TaskGroup} that failed: Python's {@code ExceptionGroup}
 * from an {@code asyncio.TaskGroup}. {@link #errors()} lists every failure in the order they
 * happened (cancellations are not failures); each is also a suppressed exception, so a stack trace
 * shows them all. The first is the cause.
 */
public final class TaskGroupException extends KitException {

  private final List<Throwable> errors;

  public TaskGroupException(int tasks, List<Throwable> errors) {
    super(describe(tasks, errors), errors.isEmpty() ? null : errors.get(0));
    this.errors = List.copyOf(errors);
    this.errors.forEach(this::addSuppressed);
  }

  /** Every failure, first first. */
  public List<Throwable> errors() {
    return errors;
  }

  private static String describe(int tasks, List<Throwable> errors) {
    StringBuilder text =
        new StringBuilder()
            .append(errors.size())
            .append(" of ")
            .append(tasks)
            .append(" tasks failed");
    for (Throwable error : errors) {
      text.append("; ")
          .append(error.getClass().getSimpleName())
          .append(": ")
          .append(error.getMessage());
    }
    return text.toString();
  }
}
