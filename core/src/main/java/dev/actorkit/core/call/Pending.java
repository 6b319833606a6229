package dev.actorkit.core.call;

import java.util.concurrent.CompletableFuture;

/**
 * The settlement of a call that a thread waits for in {@link Call#await()}: completed in the
 * thread that brings the answer, since nothing but the waiting thread depends on it. The waiting
 * thread walks away with {@link #walkAway} when it is interrupted or its backstop passes.
 */
final class Pending<V> extends CompletableFuture<V> implements Settlement<V> {

  private volatile Runnable walkAway = () -> {};
  private volatile java.util.function.Consumer<Throwable> withdraw;

  @Override
  public boolean deliver(V value) {
    return complete(value);
  }

  @Override
  public void fail(Throwable failure) {
    completeExceptionally(failure);
  }

  @Override
  public void onWalkAway(Runnable action) {
    walkAway = action;
  }

  @Override
  public void onWithdraw(java.util.function.Consumer<Throwable> action) {
    withdraw = action;
  }

  /**
   * Asks the target to withdraw the call; the call then ends with {@code why} if it was withdrawn,
   * or with its answer if that came first. Returns false if the call has no way to be withdrawn.
   */
  boolean withdraw(Throwable why) {
    java.util.function.Consumer<Throwable> action = withdraw;
    if (action == null) {
      return false;
    }
    action.accept(why);
    return true;
  }

  /**
   * The waiting thread gives up with {@code why}. Returns true if that ended the call (the answer
   * had not come, and whatever comes now is given back); false if the answer won the race.
   */
  boolean walkAway(Throwable why) {
    if (completeExceptionally(why)) {
      walkAway.run();
      return true;
    }
    return false;
  }
}
