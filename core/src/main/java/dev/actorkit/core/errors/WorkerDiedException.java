package dev.actorkit.core.errors;

import java.util.OptionalInt;

/**
 * The worker running a task died (an {@code Error}, or the task killed it) before the task
 * finished. The worker was replaced and the pool is still usable. When the worker was a process (a
 * process pool's worker JVM), {@link #exitCode()} is how it ended: the code it passed to {@code
 * System.exit}, or 128 plus the signal that killed it (137 for SIGKILL).
 */
public class WorkerDiedException extends KitException {

  private final Integer exitCode;

  public WorkerDiedException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = null;
  }

  /** A worker process that ended with {@code exitCode}. */
  public WorkerDiedException(String message, int exitCode) {
    super(message, null);
    this.exitCode = exitCode;
  }

  /** The worker process's exit code; empty for a worker thread. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }
}
