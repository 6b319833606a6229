package dev.actorkit.core;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TaskGroupException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A scope that owns the tasks started in it: Python's {@code asyncio.TaskGroup}, and, with a
 * deadline, {@code asyncio.timeout()}. Made by {@link Futures#taskGroup()} and {@link
 * Futures#timeoutScope(Duration)}.
 *
 * <pre>{@code
 * try (TaskGroup group = kit.futures().taskGroup()) {
 *   CompletableFuture<Page> a = group.add(pool.submit(() -> download(urlA)));
 *   CompletableFuture<Page> b = group.add(pool.submit(() -> download(urlB)));
 * }   // waits for both; if one failed, the other was cancelled and close() throws TaskGroupException
 * }</pre>
 *
 * <ul>
 *   <li><b>Any stage.</b> {@link #add} takes any {@link CompletionStage}: a pool's {@code
 *       TaskFuture}, a client's {@code ...Async} stage, a {@code CompletableFuture}. Cancelling a
 *       task means {@code toCompletableFuture().cancel(true)}, which a pool's future honours by
 *       taking the task off the queue or interrupting it; a stage that does not propagate
 *       cancellation is left to finish, and the group still waits for it.
 *   <li><b>The first failure cancels the rest.</b> A task that fails (a cancellation is not a
 *       failure) cancels every task still running, and the group refuses new ones with {@link
 *       RejectedException} (cancelling the stage it was given). Leaving the scope throws {@link
 *       TaskGroupException} with every failure, in order, like an {@code ExceptionGroup}.
 *   <li><b>Leaving waits for all.</b> {@link #close()} returns once every task is done. A thread
 *       interrupted while it waits cancels every task, and throws {@link InterruptedWaitException}
 *       with its interrupt flag set. {@link #cancel()} cancels them without waiting (Python's
 *       group, when the body raises).
 *   <li><b>A deadline</b> (a timeout scope) cancels what still runs when it passes (story time, on
 *       the kit clock, by the actor system's scheduler), and leaving then throws {@link
 *       TimedOutException} — unless tasks had failed before, which wins.
 *   <li><b>Tasks may add tasks</b> while the group still has some running; once the group is done
 *       and closed, {@code add} is refused.
 * </ul>
 *
 * <p>Thread-safe. Nothing user-supplied runs inside the group's lock; its bookkeeping runs in
 * whichever thread completes a task.
 */
public final class TaskGroup implements AutoCloseable {

  private final String name;
  private final Duration deadline;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Cancellable timer;
  // Guarded by this.
  private final Set<CompletableFuture<?>> running = new LinkedHashSet<>();
  private final List<Throwable> errors = new ArrayList<>();
  private int started;
  private int cancelled;
  private boolean cancelling;
  private boolean timedOut;
  private boolean sealed;

  TaskGroup(ActorSystem<?> system, String name, Duration deadline) {
    this.name = name;
    this.deadline = deadline;
    if (deadline == null) {
      timer = null;
    } else {
      KitClock clock = KitClock.get(system);
      timer =
          system
              .scheduler()
              .scheduleOnce(
                  clock.toReal(deadline), this::deadlinePassed, system.executionContext());
    }
  }

  /**
   * Adds {@code task} to the group and returns its future (the one the group cancels).
   *
   * @throws RejectedException if the group is cancelling (a task failed, its deadline passed, it
   *     was cancelled) or is done and closed; {@code task} is cancelled
   */
  public <T> CompletableFuture<T> add(CompletionStage<T> task) {
    CompletableFuture<T> future = Objects.requireNonNull(task, "task").toCompletableFuture();
    String refusal;
    synchronized (this) {
      refusal =
          cancelling
              ? "it is cancelling its tasks"
              : sealed && running.isEmpty() ? "it is closed" : null;
      if (refusal == null) {
        running.add(future);
        started++;
      }
    }
    if (refusal != null) {
      future.cancel(true);
      throw new RejectedException(name, "no task may join the group: " + refusal);
    }
    future.whenComplete((value, failure) -> finished(future, failure));
    return future;
  }

  /**
   * Starts a task with {@code start} only if the group takes new tasks, and adds it; see {@link
   * #add}.
   */
  public <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<T>> start) {
    Objects.requireNonNull(start, "start");
    synchronized (this) {
      if (cancelling || (sealed && running.isEmpty())) {
        throw new RejectedException(
            name,
            "no task may join the group: "
                + (cancelling ? "it is cancelling its tasks" : "it is closed"));
      }
    }
    return add(start.get());
  }

  /** Cancels every task still running; the group refuses new ones from now on. */
  public void cancel() {
    cancelAll();
  }

  /**
   * Completes once every task is done and the group is {@linkplain #close() closed} (or {@link
   * #seal()}ed): normally, with {@link TaskGroupException} if tasks failed, or with {@link
   * TimedOutException} if its deadline passed first.
   */
  public CompletionStage<Void> whenDone() {
    return done.copy();
  }

  /** No task will be added from outside any more: the group is done once its tasks are. */
  public void seal() {
    synchronized (this) {
      sealed = true;
    }
    settleIfDone();
  }

  /**
   * Seals the group and waits until every task is done.
   *
   * @throws TaskGroupException if tasks failed (the others were cancelled)
   * @throws TimedOutException if the deadline passed first (what still ran was cancelled)
   * @throws InterruptedWaitException if the thread is interrupted: every task is cancelled first
   */
  @Override
  public void close() {
    seal();
    try {
      done.get();
    } catch (InterruptedException e) {
      cancelAll();
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException("the tasks of " + name, e);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } finally {
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  /** How many tasks were added. */
  public synchronized int started() {
    return started;
  }

  /** How many tasks failed. */
  public synchronized int failed() {
    return errors.size();
  }

  /** How many tasks ended cancelled, by the group or by anyone else. */
  public synchronized int cancelled() {
    return cancelled;
  }

  /** How many tasks are still running. */
  public synchronized int running() {
    return running.size();
  }

  /** The failures so far, first first. */
  public synchronized List<Throwable> errors() {
    return List.copyOf(errors);
  }

  private void finished(CompletableFuture<?> future, Throwable failure) {
    boolean firstFailure;
    synchronized (this) {
      running.remove(future);
      if (failure == null) {
        firstFailure = false;
      } else if (future.isCancelled() || Ask.unwrap(failure) instanceof CancellationException) {
        cancelled++;
        firstFailure = false;
      } else {
        errors.add(Ask.unwrap(failure));
        firstFailure = errors.size() == 1 && !cancelling;
      }
    }
    if (firstFailure) {
      cancelAll();
    }
    settleIfDone();
  }

  private void deadlinePassed() {
    synchronized (this) {
      if (done.isDone() || (sealed && running.isEmpty())) {
        return;
      }
      timedOut = true;
    }
    cancelAll();
    settleIfDone();
  }

  private void cancelAll() {
    List<CompletableFuture<?>> toCancel;
    synchronized (this) {
      cancelling = true;
      toCancel = List.copyOf(running);
    }
    toCancel.forEach(
        future ->
            future.cancel(
                true)); // outside the lock: cancelling completes them, which calls back here
  }

  private void settleIfDone() {
    RuntimeException outcome;
    synchronized (this) {
      if (!sealed || !running.isEmpty() || done.isDone()) {
        return;
      }
      if (!errors.isEmpty()) {
        outcome = new TaskGroupException(started, errors);
      } else if (timedOut) {
        outcome = new TimedOutException("every task of " + name + " finishing", deadline);
      } else {
        outcome = null;
      }
    }
    if (timer != null) {
      timer.cancel();
    }
    if (outcome == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(outcome);
    }
  }

  @Override
  public synchronized String toString() {
    return "TaskGroup["
        + name
        + ": "
        + started
        + " started, "
        + running.size()
        + " running, "
        + errors.size()
        + " failed, "
        + cancelled
        + " cancelled]";
  }
}
