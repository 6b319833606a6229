package dev.actorkit.cluster.process;

/**
 * What a task raised in a worker JVM, as it came back: the class name, message and stack trace, as
 * text. The exception itself is not rebuilt in this JVM (no class is built from the wire), so catch
 * this and read {@link #remoteType()}. {@code TaskFuture.result()} throws it as the cause of a
 * {@code TaskFailedException}, as for a task of a thread pool.
 */
public final class ProcessTaskException extends RuntimeException {

  private final String remoteType;
  private final String remoteStackTrace;

  ProcessTaskException(String remoteType, String message, String remoteStackTrace, String where) {
    super(remoteType + ": " + message + " (" + where + ")", null, false, false);
    this.remoteType = remoteType;
    this.remoteStackTrace = remoteStackTrace;
  }

  /**
   * The class name of what the task raised, for example {@code java.lang.IllegalStateException}.
   */
  public String remoteType() {
    return remoteType;
  }

  /** The stack trace in the worker JVM, as {@code printStackTrace} wrote it there. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
