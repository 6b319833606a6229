package dev.actorkit.core.call;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stage that a client's {@code ...Async} method hands to its caller.
 *
 * <p><b>Where user code runs.</b> Nothing that the caller hangs on the stage runs on a pattern
 * actor's thread or a stand-in's: the stage's {@code CompletableFuture} — made the first time
 * anything asks for it, through {@link #toCompletableFuture()} or any dependent stage — completes
 * on the kit's blocking dispatcher ({@link Callers#offActors}), or in the caller's own thread if
 * the answer was already there when it asked. A stage nobody looks at (a {@code sendAsync} whose
 * stage is dropped) costs no thread hand-off at all.
 *
 * <p><b>Walking away.</b> The call's outcome is decided once, here: by its answer, or by the caller
 * walking away — cancelling or completing the stage's future (which {@code orTimeout} does) before
 * the answer. If the caller walks away first, the call's stand-in stops and whatever the answer
 * grants is given back. If the answer came first, the future completes with it there and then, and
 * the cancel has no effect ({@code cancel} returns false), as for any future that is already done:
 * a value never goes missing between the two. Dependent stages are plain {@code
 * CompletableFuture}s: cancelling one of them does not reach the call.
 */
final class CallStage<V> implements CompletionStage<V>, Settlement<V> {

  private static final Runnable DONE = () -> {};

  /** The decided outcome: null while the call waits, then an {@link Outcome}. */
  private final AtomicReference<Outcome> outcome = new AtomicReference<>();

  private final AtomicReference<Runnable> walkAway = new AtomicReference<>(DONE);
  private final AtomicReference<UserFuture<V>> future = new AtomicReference<>();
  private final Callers callers;

  CallStage(Callers callers) {
    this.callers = callers;
  }

  private sealed interface Outcome {}

  private record Value(Object value) implements Outcome {}

  private record Failure(Throwable failure) implements Outcome {}

  /**
   * The answer won, and what follows its taking is being sent: nobody sees the value before that is
   * done.
   */
  private record Taking() implements Outcome {}

  private static final Taking TAKING = new Taking();

  // ------------------------------------------------------------------ the answer's side

  @Override
  public boolean deliver(V value) {
    boolean taken = outcome.compareAndSet(null, new Value(value));
    if (taken) {
      publish();
    }
    return taken;
  }

  @Override
  public boolean deliver(V value, Runnable taken) {
    if (!outcome.compareAndSet(null, TAKING)) {
      return false;
    }
    try {
      taken.run();
    } finally {
      outcome.set(new Value(value));
      publish();
    }
    return true;
  }

  @Override
  public boolean fail(Throwable failure) {
    if (outcome.compareAndSet(null, new Failure(failure))) {
      publish();
      return true;
    }
    return false;
  }

  @Override
  public void onWalkAway(Runnable action) {
    walkAway.set(action);
  }

  @Override
  public boolean isDone() {
    return outcome.get() != null;
  }

  /**
   * The outcome is decided: a future the caller already holds learns it off the actors' threads.
   */
  private void publish() {
    UserFuture<V> held = future.get();
    if (held != null) {
      callers.offActors(held::settle);
    }
  }

  // ------------------------------------------------------------------ the caller's side

  @Override
  public CompletableFuture<V> toCompletableFuture() {
    UserFuture<V> made = future.get();
    if (made == null) {
      UserFuture<V> fresh = new UserFuture<>(this);
      made = future.compareAndSet(null, fresh) ? fresh : future.get();
      if (made == fresh && outcome.get() != null) {
        fresh.settle(); // decided before anyone asked: settle here, in the caller's thread
      }
    }
    return made;
  }

  /**
   * The caller walks away with {@code why} (a cancel, a completion from outside): if that decides
   * the call, the caller's future is completed by {@code complete} — whatever the walk-away action
   * does — and its result returned; false if the call's answer had come first.
   */
  private boolean walkAway(Outcome why, BooleanSupplier complete) {
    if (!outcome.compareAndSet(null, why)) {
      return false;
    }
    try {
      Runnable action = walkAway.getAndSet(DONE);
      Quietly.run(
          () -> {
            action.run();
            return null;
          });
    } finally {
      complete.getAsBoolean();
    }
    return true;
  }

  /** The future the caller holds; completing it from outside is walking away. */
  private static final class UserFuture<V> extends CompletableFuture<V> {
    private final CallStage<V> call;

    UserFuture(CallStage<V> call) {
      this.call = call;
    }

    /** Completes with the call's decided outcome (idempotent). */
    @SuppressWarnings("unchecked")
    void settle() {
      Outcome decided = call.outcome.get();
      if (decided instanceof Value value) {
        super.complete((V) value.value());
      } else if (decided instanceof Failure failure) {
        if (failure.failure() instanceof CancellationException) {
          super.cancel(false);
        } else {
          super.completeExceptionally(failure.failure());
        }
      }
    }

    @Override
    public boolean complete(V value) {
      return call.walkAway(new Value(value), () -> super.complete(value)) || settledInstead();
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
      return call.walkAway(new Failure(failure), () -> super.completeExceptionally(failure))
          || settledInstead();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return call.walkAway(
              new Failure(new CancellationException("the caller cancelled the call")),
              () -> super.cancel(mayInterruptIfRunning))
          || settledCancelled();
    }

    /**
     * {@code completeAsync} completes through JDK internals; here it goes through {@link
     * #complete}, so it walks away too.
     */
    @Override
    public CompletableFuture<V> completeAsync(Supplier<? extends V> supplier, Executor executor) {
      executor.execute(
          () -> {
            try {
              complete(supplier.get());
            } catch (Throwable failure) {
              completeExceptionally(failure);
            }
          });
      return this;
    }

    @Override
    public CompletableFuture<V> completeAsync(Supplier<? extends V> supplier) {
      return completeAsync(supplier, defaultExecutor());
    }

    @Override
    public void obtrudeValue(V value) {
      call.walkAway(new Value(value), () -> true);
      super.obtrudeValue(value);
    }

    @Override
    public void obtrudeException(Throwable failure) {
      call.walkAway(new Failure(failure), () -> true);
      super.obtrudeException(failure);
    }

    /** The answer came first: this future takes it, and the attempt from outside had no effect. */
    private boolean settledInstead() {
      settle();
      return false;
    }

    /**
     * As {@link #settledInstead()}, for a cancel: true if the decided outcome is itself a cancel.
     */
    private boolean settledCancelled() {
      settle();
      return isCancelled();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  // ------------------------------------------------------------------ CompletionStage, through the
  // caller's future

  @Override
  public <U> CompletionStage<U> thenApply(Function<? super V, ? extends U> fn) {
    return toCompletableFuture().thenApply(fn);
  }

  @Override
  public <U> CompletionStage<U> thenApplyAsync(Function<? super V, ? extends U> fn) {
    return toCompletableFuture().thenApplyAsync(fn);
  }

  @Override
  public <U> CompletionStage<U> thenApplyAsync(
      Function<? super V, ? extends U> fn, Executor executor) {
    return toCompletableFuture().thenApplyAsync(fn, executor);
  }

  @Override
  public CompletionStage<Void> thenAccept(Consumer<? super V> action) {
    return toCompletableFuture().thenAccept(action);
  }

  @Override
  public CompletionStage<Void> thenAcceptAsync(Consumer<? super V> action) {
    return toCompletableFuture().thenAcceptAsync(action);
  }

  @Override
  public CompletionStage<Void> thenAcceptAsync(Consumer<? super V> action, Executor executor) {
    return toCompletableFuture().thenAcceptAsync(action, executor);
  }

  @Override
  public CompletionStage<Void> thenRun(Runnable action) {
    return toCompletableFuture().thenRun(action);
  }

  @Override
  public CompletionStage<Void> thenRunAsync(Runnable action) {
    return toCompletableFuture().thenRunAsync(action);
  }

  @Override
  public CompletionStage<Void> thenRunAsync(Runnable action, Executor executor) {
    return toCompletableFuture().thenRunAsync(action, executor);
  }

  @Override
  public <U, R> CompletionStage<R> thenCombine(
      CompletionStage<? extends U> other, BiFunction<? super V, ? super U, ? extends R> fn) {
    return toCompletableFuture().thenCombine(other, fn);
  }

  @Override
  public <U, R> CompletionStage<R> thenCombineAsync(
      CompletionStage<? extends U> other, BiFunction<? super V, ? super U, ? extends R> fn) {
    return toCompletableFuture().thenCombineAsync(other, fn);
  }

  @Override
  public <U, R> CompletionStage<R> thenCombineAsync(
      CompletionStage<? extends U> other,
      BiFunction<? super V, ? super U, ? extends R> fn,
      Executor executor) {
    return toCompletableFuture().thenCombineAsync(other, fn, executor);
  }

  @Override
  public <U> CompletionStage<Void> thenAcceptBoth(
      CompletionStage<? extends U> other, BiConsumer<? super V, ? super U> action) {
    return toCompletableFuture().thenAcceptBoth(other, action);
  }

  @Override
  public <U> CompletionStage<Void> thenAcceptBothAsync(
      CompletionStage<? extends U> other, BiConsumer<? super V, ? super U> action) {
    return toCompletableFuture().thenAcceptBothAsync(other, action);
  }

  @Override
  public <U> CompletionStage<Void> thenAcceptBothAsync(
      CompletionStage<? extends U> other,
      BiConsumer<? super V, ? super U> action,
      Executor executor) {
    return toCompletableFuture().thenAcceptBothAsync(other, action, executor);
  }

  @Override
  public CompletionStage<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
    return toCompletableFuture().runAfterBoth(other, action);
  }

  @Override
  public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
    return toCompletableFuture().runAfterBothAsync(other, action);
  }

  @Override
  public CompletionStage<Void> runAfterBothAsync(
      CompletionStage<?> other, Runnable action, Executor executor) {
    return toCompletableFuture().runAfterBothAsync(other, action, executor);
  }

  @Override
  public <U> CompletionStage<U> applyToEither(
      CompletionStage<? extends V> other, Function<? super V, U> fn) {
    return toCompletableFuture().applyToEither(other, fn);
  }

  @Override
  public <U> CompletionStage<U> applyToEitherAsync(
      CompletionStage<? extends V> other, Function<? super V, U> fn) {
    return toCompletableFuture().applyToEitherAsync(other, fn);
  }

  @Override
  public <U> CompletionStage<U> applyToEitherAsync(
      CompletionStage<? extends V> other, Function<? super V, U> fn, Executor executor) {
    return toCompletableFuture().applyToEitherAsync(other, fn, executor);
  }

  @Override
  public CompletionStage<Void> acceptEither(
      CompletionStage<? extends V> other, Consumer<? super V> action) {
    return toCompletableFuture().acceptEither(other, action);
  }

  @Override
  public CompletionStage<Void> acceptEitherAsync(
      CompletionStage<? extends V> other, Consumer<? super V> action) {
    return toCompletableFuture().acceptEitherAsync(other, action);
  }

  @Override
  public CompletionStage<Void> acceptEitherAsync(
      CompletionStage<? extends V> other, Consumer<? super V> action, Executor executor) {
    return toCompletableFuture().acceptEitherAsync(other, action, executor);
  }

  @Override
  public CompletionStage<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
    return toCompletableFuture().runAfterEither(other, action);
  }

  @Override
  public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
    return toCompletableFuture().runAfterEitherAsync(other, action);
  }

  @Override
  public CompletionStage<Void> runAfterEitherAsync(
      CompletionStage<?> other, Runnable action, Executor executor) {
    return toCompletableFuture().runAfterEitherAsync(other, action, executor);
  }

  @Override
  public <U> CompletionStage<U> thenCompose(Function<? super V, ? extends CompletionStage<U>> fn) {
    return toCompletableFuture().thenCompose(fn);
  }

  @Override
  public <U> CompletionStage<U> thenComposeAsync(
      Function<? super V, ? extends CompletionStage<U>> fn) {
    return toCompletableFuture().thenComposeAsync(fn);
  }

  @Override
  public <U> CompletionStage<U> thenComposeAsync(
      Function<? super V, ? extends CompletionStage<U>> fn, Executor executor) {
    return toCompletableFuture().thenComposeAsync(fn, executor);
  }

  @Override
  public <U> CompletionStage<U> handle(BiFunction<? super V, Throwable, ? extends U> fn) {
    return toCompletableFuture().handle(fn);
  }

  @Override
  public <U> CompletionStage<U> handleAsync(BiFunction<? super V, Throwable, ? extends U> fn) {
    return toCompletableFuture().handleAsync(fn);
  }

  @Override
  public <U> CompletionStage<U> handleAsync(
      BiFunction<? super V, Throwable, ? extends U> fn, Executor executor) {
    return toCompletableFuture().handleAsync(fn, executor);
  }

  @Override
  public CompletionStage<V> whenComplete(BiConsumer<? super V, ? super Throwable> action) {
    return toCompletableFuture().whenComplete(action);
  }

  @Override
  public CompletionStage<V> whenCompleteAsync(BiConsumer<? super V, ? super Throwable> action) {
    return toCompletableFuture().whenCompleteAsync(action);
  }

  @Override
  public CompletionStage<V> whenCompleteAsync(
      BiConsumer<? super V, ? super Throwable> action, Executor executor) {
    return toCompletableFuture().whenCompleteAsync(action, executor);
  }

  @Override
  public CompletionStage<V> exceptionally(Function<Throwable, ? extends V> fn) {
    return toCompletableFuture().exceptionally(fn);
  }

  @Override
  public String toString() {
    Outcome decided = outcome.get();
    return "CallStage[" + (decided == null ? "waiting" : decided) + "]";
  }
}
