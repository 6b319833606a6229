package dev.actorkit.core.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stage that a client's {@code ...Async} method hands to its caller.
 *
 * <p>It completes on the kit's blocking dispatcher ({@link Callers#offActors}), never on a pattern
 * actor's thread, so a dependent stage added without an executor runs there. Completing it from
 * outside — {@link #cancel}, {@link #complete}, {@link #completeExceptionally}, which
 * {@code orTimeout} uses — is the caller walking away: if that happens before the answer, the
 * call's stand-in stops and whatever the answer grants is given back. Dependent stages are plain
 * {@code CompletableFuture}s: cancelling one of them does not reach the call, as with any
 * {@code CompletableFuture}.
 */
final class CallStage<V> extends CompletableFuture<V> implements Settlement<V> {

  private final Callers callers;
  private static final Runnable DONE = () -> {};

  private final AtomicReference<Runnable> walkAway = new AtomicReference<>(DONE);

  CallStage(Callers callers) {
    this.callers = callers;
  }

  @Override
  public void deliver(V value, Then then) {
    callers.offActors(() -> then.accepted(super.complete(value)));
  }

  @Override
  public void fail(Throwable failure) {
    callers.offActors(() -> super.completeExceptionally(failure));
  }

  @Override
  public void onWalkAway(Runnable action) {
    walkAway.set(action);
  }

  @Override
  public boolean complete(V value) {
    return walkedAway(super.complete(value));
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    return walkedAway(super.completeExceptionally(failure));
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return walkedAway(super.cancel(mayInterruptIfRunning));
  }

  private boolean walkedAway(boolean won) {
    if (won) {
      Runnable action = walkAway.getAndSet(DONE); // cancel() answers true again once cancelled: walk away once
      Quietly.run(() -> {
        action.run();
        return null;
      });
    }
    return won;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
