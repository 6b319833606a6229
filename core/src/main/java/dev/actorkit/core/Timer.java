package dev.actorkit.core;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python's {@code threading.Timer(interval, function)}: runs {@code action} once, {@code interval}
 * (story time, on the kit clock) after {@link #start()}, unless {@link #cancel()}ed first. Made by
 * {@link ActorKit#timer(Duration, Runnable)}.
 *
 * <ul>
 *   <li><b>Where it runs.</b> The action runs on the kit's blocking dispatcher, never on an actor's
 *       or the scheduler's thread, so it may block.
 *   <li><b>Cancel.</b> {@code cancel()} before the action has started stops it for good and returns
 *       true; once it has started it runs to the end and {@code cancel()} returns false, as in
 *       Python.
 *   <li><b>Outcome.</b> {@link #done()} completes when the action has run, fails with what it threw
 *       (also logged, as Python prints the traceback), or is cancelled; {@link #join} waits for
 *       that.
 *   <li><b>A closed kit</b> cancels every timer that has not fired.
 *   <li>{@code start()} runs once: a second call throws {@link IllegalStateException}; a negative
 *       interval is refused with {@link RejectedException} when the timer is made.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Timer {

  private static final Logger log = LoggerFactory.getLogger(Timer.class);

  private static final int NEW = 0;
  private static final int WAITING = 1;
  private static final int RUNNING = 2;
  private static final int ENDED = 3;

  private final ActorSystem<?> system;
  private final Duration interval;
  private final Runnable action;
  private final AtomicInteger state = new AtomicInteger(NEW);
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Cancellable scheduled;

  Timer(ActorSystem<?> system, Duration interval, Runnable action) {
    this.system = system;
    this.interval = Objects.requireNonNull(interval, "interval");
    this.action = Objects.requireNonNull(action, "action");
    if (interval.isNegative()) {
      throw new RejectedException("a timer", "the interval must not be negative, was " + interval);
    }
  }

  /** Starts the countdown. */
  public Timer start() {
    if (!state.compareAndSet(NEW, WAITING)) {
      throw new IllegalStateException("a timer starts once");
    }
    Pending pending = Pending.of(system);
    if (!pending.add(this)) {
      cancel(); // the kit is closed
      return this;
    }
    try {
      scheduled =
          system
              .scheduler()
              .scheduleOnce(
                  KitClock.get(system).toReal(interval), this::fire, system.executionContext());
    } catch (IllegalStateException closing) {
      cancel();
    }
    if (state.get() == ENDED && scheduled != null) {
      scheduled.cancel(); // cancelled while it was being scheduled
    }
    return this;
  }

  /** Stops the timer if its action has not started: true if this call stopped it. */
  public boolean cancel() {
    if (state.compareAndSet(WAITING, ENDED) || state.compareAndSet(NEW, ENDED)) {
      Cancellable timer = scheduled;
      if (timer != null) {
        timer.cancel();
      }
      Pending.of(system).remove(this);
      done.cancel(false);
      return true;
    }
    return false;
  }

  /** Whether the action is still to run or running (Python's {@code is_alive()} once started). */
  public boolean isAlive() {
    int now = state.get();
    return now == WAITING || now == RUNNING;
  }

  /** Completes once the action has run (or failed, or the timer was cancelled). */
  public CompletionStage<Void> done() {
    CompletableFuture<Void> view =
        new CompletableFuture<>(); // a view: completing it does not touch the timer
    done.whenComplete(
        (value, failure) -> {
          if (done.isCancelled()) {
            view.cancel(false);
          } else if (failure != null) {
            view.completeExceptionally(Ask.unwrap(failure));
          } else {
            view.complete(null);
          }
        });
    return view;
  }

  /**
   * Waits up to {@code timeout} (real time) for the timer to end: true if it did (ran, failed or
   * was cancelled), false if it is still waiting or running.
   *
   * @throws InterruptedWaitException if the thread is interrupted
   */
  public boolean join(Duration timeout) {
    try {
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException stillGoing) {
      return false;
    } catch (ExecutionException | CancellationException ended) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException("a timer's end", e);
    }
  }

  private void fire() {
    if (!state.compareAndSet(WAITING, RUNNING)) {
      return;
    }
    try {
      KitDispatcher.BLOCKING.executor(system).execute(this::run);
    } catch (RejectedExecutionException closing) {
      state.set(ENDED);
      Pending.of(system).remove(this);
      done.cancel(false);
    }
  }

  private void run() {
    Throwable failed = null;
    try {
      action.run();
    } catch (Throwable failure) {
      log.error("a timer's action failed after {}", interval, failure);
      failed = failure;
    }
    // ended before done completes, so whoever join()s sees isAlive() false
    state.set(ENDED);
    Pending.of(system).remove(this);
    if (failed == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failed);
    }
  }

  @Override
  public String toString() {
    return "Timer["
        + interval
        + ", "
        + switch (state.get()) {
          case NEW -> "not started";
          case WAITING -> "waiting";
          case RUNNING -> "running";
          default -> done.isCancelled() ? "cancelled" : "finished";
        }
        + "]";
  }

  /** The timers of one actor system that have not fired, cancelled together when it terminates. */
  static final class Pending implements Extension {
    private final Set<Timer> timers = ConcurrentHashMap.newKeySet();
    private volatile boolean terminated;

    private Pending(ActorSystem<?> system) {
      system
          .getWhenTerminated()
          .thenRun(
              () -> {
                terminated = true;
                timers.forEach(Timer::cancel);
              });
    }

    static Pending of(ActorSystem<?> system) {
      return Id.INSTANCE.apply(system);
    }

    boolean add(Timer timer) {
      timers.add(timer);
      if (terminated) {
        timers.remove(timer);
        return false;
      }
      return true;
    }

    void remove(Timer timer) {
      timers.remove(timer);
    }

    private static final class Id extends ExtensionId<Pending> {
      static final Id INSTANCE = new Id();

      @Override
      public Pending createExtension(ActorSystem<?> system) {
        return new Pending(system);
      }
    }
  }
}
