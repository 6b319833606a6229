package dev.actorkit.core.call;

import java.util.function.Consumer;

/**
 * Where a started call's outcome goes, and the one place where the answer and the caller's walking
 * away race: whichever comes first wins, and the other learns it lost. The answer's side settles in
 * the answering thread, which runs no user code for it: {@link Pending} wakes a thread blocked in
 * {@link Call#await()}; {@link CallStage} hands the caller's future the outcome off the actors'
 * threads.
 */
interface Settlement<V> {

  /**
   * Hands {@code value} to the caller if it still waits; returns whether it did (false: the caller
   * walked away first).
   */
  boolean deliver(V value);

  /**
   * {@link #deliver(Object)}, and then {@code taken}, before the value can be seen by anyone: what
   * must follow the caller's taking of the value (an acknowledgement to the target) is sent before
   * the caller can send anything that depends on it. {@link Pending} runs it in the waiting thread
   * as it takes the value; the default, here, in the delivering thread.
   */
  default boolean deliver(V value, Runnable taken) {
    if (deliver(value)) {
      taken.run();
      return true;
    }
    return false;
  }

  /**
   * Ends the call with {@code failure}, unless the caller has already walked away; returns whether
   * it did.
   */
  boolean fail(Throwable failure);

  /**
   * What to do when the caller walks away before the answer: set once, before the request is sent.
   */
  void onWalkAway(Runnable action);

  /**
   * How to ask the target to withdraw the call and learn whether it did (set once, before the
   * request is sent, for calls whose effect cannot be given back, such as a put). A blocking caller
   * that is interrupted uses it to learn the outcome instead of walking away blind.
   */
  default void onWithdraw(Consumer<Throwable> withdraw) {}

  /** Whether the outcome is decided (answered, failed, or walked away from). */
  boolean isDone();
}
