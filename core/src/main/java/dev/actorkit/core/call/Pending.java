package dev.actorkit.core.call;

import java.util.concurrent.CompletableFuture;

/**
 * The settlement of a call that a thread waits for in {@link Call#await()}: completed in the
 * thread that brings the answer, since nothing but the waiting thread depends on it. The waiting
 * thread walks away with {@link #walkAway} when it is interrupted or its backstop passes.
 */
final class Pending<V> extends CompletableFuture<V> implements Settlement<V> {

  private volatile Runnable walkAway = () -> {};

  @Override
  public void deliver(V value, Then then) {
    then.accepted(complete(value));
  }

  @Override
  public void fail(Throwable failure) {
    completeExceptionally(failure);
  }

  @Override
  public void onWalkAway(Runnable action) {
    walkAway = action;
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
