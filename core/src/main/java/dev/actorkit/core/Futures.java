package dev.actorkit.core;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code asyncio}'s and {@code concurrent.futures}' combinators over {@link CompletionStage}s:
 * {@link #gather}, {@link #wait}, {@link #asCompleted}, {@link #waitFor}, {@link #shield}, and the
 * scopes {@link #taskGroup()} and {@link #timeoutScope(Duration)}.
 *
 * <p>A cancelled future counts as done everywhere, as in Python: it is in {@code wait}'s done list,
 * {@code asCompleted} yields it, and {@code gather} fails with the {@link CancellationException}
 * (or reports {@link Outcome.Cancelled}). Timeouts are story time on the kit clock and are enforced
 * by the actor system's scheduler, never by a parked thread or {@code CompletableFuture}'s default
 * executor (which starts a thread per task when the common pool has one thread, as it does on 2
 * cores). Cancelling a future here means {@code toCompletableFuture().cancel(true)}, which for a
 * pool's {@code TaskFuture} removes the task from its queue or interrupts it.
 */
public final class Futures {

  private final ActorSystem<?> system;
  private final KitClock clock;

  private Futures(ActorSystem<?> system) {
    this.system = system;
    this.clock = KitClock.get(system);
  }

  /** The combinators, with timers on this actor system's scheduler and clock. */
  public static Futures of(ActorSystem<?> system) {
    return new Futures(system);
  }

  /** When {@link #wait} returns, as Python's {@code return_when}. */
  public enum ReturnWhen {
    /** As soon as any future is done (completed, failed or cancelled). */
    FIRST_COMPLETED,
    /**
     * As soon as any future fails (a cancellation is not a failure); otherwise when all are done.
     */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
  }

  /**
   * What {@link #wait} found: the futures that were done and those still pending, each in input
   * order.
   */
  public record DoneAndPending<T>(
      List<CompletableFuture<T>> done, List<CompletableFuture<T>> pending) {
    public DoneAndPending {
      done = List.copyOf(done);
      pending = List.copyOf(pending);
    }
  }

  /**
   * {@code asyncio.gather(*futures)}: every value in input order. Fails as soon as any input fails
   * or is cancelled, with that failure; the other inputs keep running.
   */
  public <T> CompletionStage<List<T>> gather(List<? extends CompletionStage<? extends T>> futures) {
    return gather(futures, false)
        .thenApply(
            outcomes -> {
              List<T> values = new ArrayList<>(outcomes.size());
              outcomes.forEach(outcome -> values.add(((Outcome.Succeeded<T>) outcome).value()));
              return Collections.unmodifiableList(values);
            });
  }

  /**
   * {@code asyncio.gather(*futures, return_exceptions=...)}: every outcome in input order. With
   * {@code returnExceptions} the stage completes when all inputs are done and failures and
   * cancellations are reported in place; without it, the stage fails at the first failure or
   * cancellation, as {@link #gather(List)}.
   */
  public <T> CompletionStage<List<Outcome<T>>> gather(
      List<? extends CompletionStage<? extends T>> futures, boolean returnExceptions) {
    CompletableFuture<List<Outcome<T>>> all = new CompletableFuture<>();
    int count = futures.size();
    if (count == 0) {
      all.complete(List.of());
      return all;
    }
    @SuppressWarnings("unchecked")
    Outcome<T>[] outcomes = (Outcome<T>[]) new Outcome<?>[count];
    AtomicInteger remaining = new AtomicInteger(count);
    for (int i = 0; i < count; i++) {
      int index = i;
      futures
          .get(i)
          .whenComplete(
              (value, failure) -> {
                Outcome<T> outcome = outcomeOf(value, failure);
                if (!returnExceptions && !outcome.succeeded()) {
                  all.completeExceptionally(Ask.unwrap(failure));
                  return;
                }
                outcomes[index] = outcome;
                if (remaining.decrementAndGet() == 0) {
                  all.complete(Collections.unmodifiableList(Arrays.asList(outcomes)));
                }
              });
    }
    return all;
  }

  /**
   * {@code concurrent.futures.wait(futures, timeout, return_when)}: completes with the done and
   * pending futures as soon as {@code returnWhen} is met or {@code timeout} (story time) passes,
   * whichever is first. A timeout is not a failure: the pending list says what did not finish.
   */
  public <T> CompletionStage<DoneAndPending<T>> wait(
      List<? extends CompletionStage<T>> futures, Duration timeout, ReturnWhen returnWhen) {
    List<CompletableFuture<T>> inputs =
        futures.stream().map(CompletionStage::toCompletableFuture).toList();
    CompletableFuture<Void> trigger = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger(inputs.size());
    for (CompletableFuture<T> input : inputs) {
      input.whenComplete(
          (value, failure) -> {
            boolean failed = failure != null && !input.isCancelled();
            boolean allDone = remaining.decrementAndGet() == 0;
            if (returnWhen == ReturnWhen.FIRST_COMPLETED
                || (returnWhen == ReturnWhen.FIRST_EXCEPTION && failed)
                || allDone) {
              trigger.complete(null);
            }
          });
    }
    if (inputs.isEmpty()) {
      trigger.complete(null);
    }
    Cancellable timer = after(timeout, () -> trigger.complete(null));
    return trigger.thenApply(
        ignored -> {
          timer.cancel();
          List<CompletableFuture<T>> done = new ArrayList<>();
          List<CompletableFuture<T>> pending = new ArrayList<>();
          inputs.forEach(input -> (input.isDone() ? done : pending).add(input));
          return new DoneAndPending<>(done, pending);
        });
  }

  /**
   * {@code concurrent.futures.as_completed(futures, timeout)}: yields each future as it becomes
   * done (cancelled ones included), blocking in {@code next()}. If the next one is not done {@code
   * timeout} (story time) after this call, {@code next()} throws {@link TimedOutException}.
   */
  public <T> Iterator<CompletableFuture<T>> asCompleted(
      List<? extends CompletionStage<T>> futures, Duration timeout) {
    BlockingQueue<CompletableFuture<T>> completed = new LinkedBlockingQueue<>();
    for (CompletionStage<T> future : futures) {
      CompletableFuture<T> input = future.toCompletableFuture();
      input.whenComplete((value, failure) -> completed.add(input));
    }
    long deadline = System.nanoTime() + clock.toReal(timeout).toNanos();
    int total = futures.size();
    return new Iterator<>() {
      private int yielded;

      @Override
      public boolean hasNext() {
        return yielded < total;
      }

      @Override
      public CompletableFuture<T> next() {
        if (!hasNext()) {
          throw new NoSuchElementException("all " + total + " futures have been yielded");
        }
        try {
          CompletableFuture<T> next =
              completed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (next == null) {
            throw new TimedOutException(
                (total - yielded) + " of " + total + " futures completing", timeout);
          }
          yielded++;
          return next;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedWaitException("the next future to complete", e);
        }
      }
    };
  }

  /**
   * {@code asyncio.wait_for(future, timeout)}: the future's own outcome if it comes within {@code
   * timeout} (story time); otherwise the future is cancelled (its work with it) and the stage fails
   * with {@link TimedOutException}. Cancelling the returned stage cancels the future.
   */
  public <T> CompletableFuture<T> waitFor(CompletionStage<T> future, Duration timeout) {
    CompletableFuture<T> input = future.toCompletableFuture();
    CompletableFuture<T> result = new CompletableFuture<>();
    // Cancel first, so whoever sees the timeout already sees the work cancelled, as in Python;
    // work that finished anyway, or that cannot be cancelled in time, reports its own outcome.
    AtomicBoolean expired = new AtomicBoolean();
    Cancellable timer =
        after(
            timeout,
            () -> {
              if (!result.isDone()) {
                expired.set(true);
                input.cancel(true);
                if (input.isCancelled() || !input.isDone()) {
                  result.completeExceptionally(
                      new TimedOutException("the awaited future", timeout));
                }
              }
            });
    input.whenComplete(
        (value, failure) -> {
          timer.cancel();
          if (!(expired.get() && input.isCancelled())) {
            complete(result, value, failure);
          }
        });
    result.whenComplete(
        (value, failure) -> {
          if (result.isCancelled()) {
            input.cancel(true);
          }
        });
    return result;
  }

  /**
   * {@code asyncio.shield(future)}: a future with the same outcome whose cancellation does not
   * cancel {@code future}.
   */
  public <T> CompletableFuture<T> shield(CompletionStage<T> future) {
    CompletableFuture<T> shielded = new CompletableFuture<>();
    future.whenComplete((value, failure) -> complete(shielded, value, failure));
    return shielded;
  }

  /**
   * {@code asyncio.TaskGroup()}: a scope that owns the tasks added to it; see {@link TaskGroup}.
   */
  public TaskGroup taskGroup() {
    return new TaskGroup(system, "a task group", null);
  }

  /**
   * {@code asyncio.timeout(delay)}: a {@link TaskGroup} whose tasks still running {@code timeout}
   * (story time) from now are cancelled, and whose {@code close()} then throws {@link
   * TimedOutException}.
   *
   * @throws dev.actorkit.core.errors.RejectedException for a negative timeout
   */
  public TaskGroup timeoutScope(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new RejectedException(
          "a timeout scope", "the timeout must not be negative, was " + timeout);
    }
    return new TaskGroup(system, "a timeout scope", timeout);
  }

  private Cancellable after(Duration storyTime, Runnable action) {
    return system
        .scheduler()
        .scheduleOnce(clock.toReal(storyTime), action, system.executionContext());
  }

  private static <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
    if (failure == null) {
      target.complete(value);
    } else {
      target.completeExceptionally(Ask.unwrap(failure));
    }
  }

  private static <T> Outcome<T> outcomeOf(T value, Throwable failure) {
    if (failure == null) {
      return new Outcome.Succeeded<>(value);
    }
    Throwable cause = Ask.unwrap(failure);
    return cause instanceof CancellationException
        ? new Outcome.Cancelled<>()
        : new Outcome.Failed<>(cause);
  }
}
