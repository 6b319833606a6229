package dev.actorkit.core.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The settlement of a call that a thread waits for in {@link Call#await()}: completed in the thread
 * that brings the answer, since nothing but the waiting thread depends on it. The waiting thread
 * walks away with {@link #walkAway} when it is interrupted or its backstop passes. The thread that
 * takes the value ({@link #get(long, TimeUnit)}, {@link #join()}) first runs what the answer asked
 * to run once taken (see {@link Settlement#deliver(Object, Runnable)}).
 */
final class Pending<V> extends CompletableFuture<V> implements Settlement<V> {

  private volatile Runnable walkAway = () -> {};
  private volatile Consumer<Throwable> withdraw;

  @Override
  public boolean deliver(V value) {
    return complete(value);
  }

  /**
   * What the waiting thread runs as it takes the value, so that what it sends next comes after it.
   */
  private final AtomicReference<Runnable> onTaken = new AtomicReference<>();

  @Override
  public boolean deliver(V value, Runnable taken) {
    onTaken.set(taken);
    if (complete(value)) {
      return true;
    }
    onTaken.set(null);
    return false;
  }

  @Override
  public V get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return taken(super.get(timeout, unit));
  }

  @Override
  public V join() {
    return taken(super.join());
  }

  private V taken(V value) {
    Runnable taken = onTaken.getAndSet(null);
    if (taken != null) {
      taken.run();
    }
    return value;
  }

  @Override
  public boolean fail(Throwable failure) {
    return completeExceptionally(failure);
  }

  @Override
  public void onWalkAway(Runnable action) {
    walkAway = action;
  }

  @Override
  public void onWithdraw(Consumer<Throwable> action) {
    withdraw = action;
  }

  /**
   * Asks the target to withdraw the call; the call then ends with {@code why} if it was withdrawn,
   * or with its answer if that came first. Returns false if the call has no way to be withdrawn.
   */
  boolean withdraw(Throwable why) {
    Consumer<Throwable> action = withdraw;
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
