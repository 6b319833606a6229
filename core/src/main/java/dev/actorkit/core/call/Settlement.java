package dev.actorkit.core.call;

/**
 * Where a started call's outcome goes, and the one place where the answer and the caller's walking
 * away race: whichever comes first wins, and the other learns it lost.
 *
 * <p>Two kinds: {@link Pending} for a thread blocked in {@link Call#await()} (settled in the
 * answering thread: nothing but the waiting thread depends on it) and {@link CallStage} for
 * {@link Call#async()} (settled on the kit's blocking dispatcher, because the caller's dependent
 * stages run where it completes).
 */
interface Settlement<V> {

  /**
   * Hands {@code value} to the caller if it still waits, then tells {@code then} whether it did.
   * {@code then} runs on whichever thread settled; it must only tell an actor.
   */
  void deliver(V value, Then then);

  /** Ends the call with {@code failure}, unless the caller has already walked away. */
  void fail(Throwable failure);

  /** What to do when the caller walks away before the answer: set once, before the request is sent. */
  void onWalkAway(Runnable action);

  /**
   * How to ask the target to withdraw the call and learn whether it did (set once, before the
   * request is sent, for calls whose effect cannot be given back, such as a put). A blocking caller
   * that is interrupted uses it to learn the outcome instead of walking away blind.
   */
  default void onWithdraw(java.util.function.Consumer<Throwable> withdraw) {}

  /** Whether the outcome is decided (answered, failed, or walked away from). */
  boolean isDone();

  /** Learns whether the caller took the delivered value. */
  @FunctionalInterface
  interface Then {
    void accepted(boolean accepted);
  }
}
