package dev.actorkit.core.errors;

/**
 * Python's {@code BrokenBarrierError}: the barrier was broken — a party timed out or died, the
 * barrier action failed, or it was reset or aborted — while or before this party waited, so it did
 * not pass. A {@link RejectedException}, since the barrier refused to let the party through.
 */
public class BrokenBarrierException extends RejectedException {

  private final long generation;

  public BrokenBarrierException(String target, long generation, String reason) {
    super(target, reason);
    this.generation = generation;
  }

  /** The generation in which it broke. */
  public long generation() {
    return generation;
  }
}
