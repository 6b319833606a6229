package dev.actorkit.patterns.pool;

import dev.actorkit.core.Ask;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.TaskFailedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.errors.WorkerDiedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The future of one task submitted to a {@link WorkerPoolClient}: Python's {@code
 * concurrent.futures.Future}, and a {@link java.util.concurrent.CompletionStage}.
 *
 * <p>A task is <em>pending</em> in the pool's queue, then <em>running</em> on a worker, then done:
 * finished with a value, failed with what it raised, failed with {@link WorkerDiedException} when
 * its worker died under it, or cancelled. {@link #cancel()} takes a pending task out of the queue
 * (it never runs) and, in a pool on the blocking dispatcher, interrupts a running one; a task
 * running on the compute dispatcher, or one that is done, cannot be cancelled. Completion
 * happens-before every callback and every return from {@link #result}; callbacks registered on a
 * done future run at once in the caller's thread. A task's own outcome completes the future in the
 * worker's thread; an end the pool decides (refused after shutdown, cancelled by a shutdown, its
 * worker or the pool gone) completes it on the kit's blocking dispatcher, never on the pool
 * coordinator's thread, so callbacks never run there. {@link #done()} and {@link #cancelled()} are
 * true as soon as that end is decided.
 *
 * <p>The future is a shared-memory object on purpose: {@code cancel()} must say at once whether it
 * stopped the task, so the pending/running/cancelled decision is one atomic state here, as in
 * {@code java.util.concurrent.FutureTask}. The pool's queue stays the coordinator actor's own.
 */
public final class TaskFuture<T> extends CompletableFuture<T> {

  private static final int PENDING = 0;
  private static final int RUNNING = 1;
  private static final int INTERRUPTING = 2;
  private static final int FINISHED = 3;
  private static final int CANCELLED = 4;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(TaskFuture.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;
  private volatile Thread runner;
  private Callable<T> work;
  private final TaskControl control;

  TaskFuture(Callable<T> work, TaskControl control) {
    this.work = work;
    this.control = control;
  }

  /**
   * What a task needs of its pool: the clock, whether it interrupts, and news of cancellations.
   * Implemented by pools: {@link WorkerPoolClient}'s, and a pool in another module that runs its
   * tasks elsewhere (see {@link #completer}).
   */
  public interface TaskControl {
    KitClock clock();

    boolean interruptsRunningTasks();

    /** The task reached its end (any end); called exactly once per task. */
    void finished(TaskFuture<?> task);

    /** The task was cancelled before a worker started it. */
    void cancelledWhilePending(TaskFuture<?> task);

    /** Runs a completion that the pool (not a worker) makes, off the pool coordinator's thread. */
    void offActors(Runnable completion);

    String describe(TaskFuture<?> task);
  }

  /**
   * A future whose task runs outside this JVM's workers (in a worker process), with the handle that
   * only its pool holds. The pool marks the task running when it starts and completes the future
   * through the handle; users see an ordinary {@code TaskFuture}. A task of such a pool that is
   * running cannot be cancelled unless {@code control.interruptsRunningTasks()}.
   */
  public static <T> Completer<T> completer(TaskControl control) {
    return new Completer<>(new TaskFuture<>(null, Objects.requireNonNull(control, "control")));
  }

  /**
   * The pool's side of a {@link #completer}'s future. {@link #succeed} and {@link #fail} complete
   * the future in the calling thread (a pool calls them off its coordinator's thread); the other
   * ends complete it through {@link TaskControl#offActors}. Each returns quietly if the task has
   * already ended (a cancel won).
   */
  public static final class Completer<T> {
    private final TaskFuture<T> future;

    private Completer(TaskFuture<T> future) {
      this.future = future;
    }

    /** What the user holds. */
    public TaskFuture<T> future() {
      return future;
    }

    /**
     * The task has started: from now on {@code running()} is true and a cancel cannot take it back.
     */
    public boolean start() {
      return STATE.compareAndSet(future, PENDING, RUNNING);
    }

    /** Whether the task is still waiting to start (not cancelled). */
    public boolean isPending() {
      return future.isPending();
    }

    /** The task returned {@code value}: true if this ended it (false if a cancel had). */
    public boolean succeed(T value) {
      if (STATE.compareAndSet(future, RUNNING, FINISHED)
          || STATE.compareAndSet(future, PENDING, FINISHED)) {
        future.control.finished(future); // its place first: a dependent may submit at once
        future.complete(value);
        return true;
      }
      return false;
    }

    /**
     * The task raised {@code failure}: {@code result()} throws it wrapped as a task failure. True
     * if this ended it.
     */
    public boolean fail(Throwable failure) {
      if (STATE.compareAndSet(future, RUNNING, FINISHED)
          || STATE.compareAndSet(future, PENDING, FINISHED)) {
        future.control.finished(future);
        future.completeExceptionally(failure);
        return true;
      }
      return false;
    }

    /**
     * The process running the task ended with {@code exitCode} before the task finished: true if
     * this ended it.
     */
    public boolean workerDied(String why, int exitCode) {
      if (STATE.compareAndSet(future, RUNNING, FINISHED)
          || STATE.compareAndSet(future, PENDING, FINISHED)) {
        WorkerDiedException died =
            new WorkerDiedException(future.control.describe(future) + ": " + why, exitCode);
        future.control.finished(future);
        future.control.offActors(() -> future.completeExceptionally(died));
        return true;
      }
      return false;
    }

    /** The pool stopped with the task still queued. */
    public void abandon(String why) {
      future.abandon(why);
    }

    /** The pool cancels the task if it has not started (a shutdown that cancels futures). */
    public void cancelByPool() {
      future.cancelByPool();
    }

    /** The pool is terminated: the task is cancelled whether or not it has started. */
    public void cancelRunningByPool() {
      future.cancelRunningByPool();
    }

    /** The pool will not run the task (submitted after shutdown). */
    public void refuse(KitException reason) {
      future.refuse(reason);
    }
  }

  /**
   * Cancels the task: a pending task leaves the queue and never runs; a running task on the
   * blocking dispatcher is interrupted. Returns true if the task is cancelled after the call.
   */
  public boolean cancel() {
    if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
      work = null;
      super.cancel(false);
      control.finished(this);
      control.cancelledWhilePending(this);
      return true;
    }
    if (control.interruptsRunningTasks() && STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
      Thread running = runner;
      if (running != null) {
        running.interrupt();
      }
      state = CANCELLED;
      super.cancel(false);
      control.finished(this);
      return true;
    }
    return isCancelled();
  }

  /**
   * The pool cancels a task that has not started (a shutdown that cancels futures): decided now, so
   * {@link #cancelled()} says so at once; the future completes off the coordinator's thread.
   */
  void cancelByPool() {
    if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
      work = null;
      control.finished(this);
      control.cancelledWhilePending(this);
      control.offActors(() -> super.cancel(false));
    }
  }

  /** Whether it was cancelled; true as soon as the cancel is decided. */
  @Override
  public boolean isCancelled() {
    return state == CANCELLED || super.isCancelled();
  }

  /**
   * Whether it ended in any way; true as soon as the end is decided (its outcome may follow a
   * moment later).
   */
  @Override
  public boolean isDone() {
    int now = state;
    return now == CANCELLED || now == FINISHED || super.isDone();
  }

  /**
   * Same as {@link #cancel()}; {@code mayInterruptIfRunning} is decided by the pool's dispatcher.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return cancel();
  }

  /** Python's {@code done()}: finished, failed or cancelled. */
  public boolean done() {
    return isDone();
  }

  /** Python's {@code cancelled()}. */
  public boolean cancelled() {
    return isCancelled();
  }

  /** Python's {@code running()}: a worker is executing it now. */
  public boolean running() {
    return state == RUNNING;
  }

  /**
   * Python's {@code result(timeout)}: the task's value, waiting at most {@code timeout} (story
   * time).
   *
   * @throws TaskFailedException if the task raised (its exception is the cause)
   * @throws WorkerDiedException if the worker died while running it
   * @throws CancellationException if it was cancelled
   * @throws TimedOutException if it is not done in time (the task goes on)
   */
  public T result(Duration timeout) {
    try {
      return get(control.clock().toReal(timeout).toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw asThrown(e.getCause());
    } catch (TimeoutException e) {
      throw new TimedOutException(control.describe(this) + " finishing", timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException(control.describe(this), e);
    }
  }

  /**
   * Python's {@code exception(timeout)}: what the task raised, or null if it finished with a value.
   * Throws {@link CancellationException} if it was cancelled and {@link TimedOutException} if it is
   * not done in time.
   */
  public Throwable exception(Duration timeout) {
    try {
      result(timeout);
      return null;
    } catch (TaskFailedException e) {
      return e.getCause();
    } catch (WorkerDiedException e) {
      return e;
    }
  }

  /**
   * Python's {@code add_done_callback(fn)}: calls {@code callback} with this future once it is
   * done, in the thread that completes it, or at once in this thread if it is done already.
   */
  public void addDoneCallback(Consumer<? super TaskFuture<T>> callback) {
    whenComplete((value, failure) -> callback.accept(this));
  }

  /** Dependent stages are plain futures: cancelling them does not reach the task. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  /**
   * Runs the task in the calling worker's thread unless it was cancelled first. An {@link Error}
   * from the task fails this future with {@link WorkerDiedException} and is rethrown for the worker
   * to die of.
   */
  void run() {
    runner = Thread.currentThread();
    if (!STATE.compareAndSet(this, PENDING, RUNNING)) {
      runner = null;
      return;
    }
    Callable<T> task = work;
    work = null;
    try {
      T value = task.call();
      if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
        super.complete(value);
        control.finished(this);
      }
    } catch (Exception e) {
      if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
        super.completeExceptionally(e);
        control.finished(this);
      }
    } catch (Error fatal) {
      if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
        super.completeExceptionally(
            new WorkerDiedException(
                control.describe(this) + " killed its worker: " + fatal, fatal));
        control.finished(this);
      }
      throw fatal;
    } finally {
      runner = null;
      absorbCancelInterrupt();
    }
  }

  /**
   * The worker running this task stopped before the task finished; a task not yet started is left
   * alone. Called by the pool, so the future completes off its thread.
   */
  void workerDied(String why) {
    if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
      WorkerDiedException died = new WorkerDiedException(control.describe(this) + ": " + why, null);
      control.finished(this);
      control.offActors(() -> super.completeExceptionally(died));
    }
  }

  /**
   * The pool stopped with this task still queued: it will never run. Completes off the pool's
   * thread.
   */
  void abandon(String why) {
    if (STATE.compareAndSet(this, PENDING, FINISHED)) {
      work = null;
      WorkerDiedException never =
          new WorkerDiedException(control.describe(this) + ": " + why, null);
      control.finished(this);
      control.offActors(() -> super.completeExceptionally(never));
    }
  }

  /**
   * The pool is terminated ({@link WorkerPool.Terminate}): a task not started is cancelled; a
   * running one is interrupted and cancelled, whatever its dispatcher, so that its worker's thread
   * is free. The future completes off the coordinator's thread.
   */
  void cancelRunningByPool() {
    cancelByPool();
    if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
      Thread running = runner;
      if (running != null) {
        running.interrupt();
      }
      state = CANCELLED;
      control.finished(this);
      control.offActors(() -> super.cancel(false));
    }
  }

  boolean isPending() {
    return state == PENDING;
  }

  /**
   * Fails a task that the pool will not run (submitted after shutdown). Completes off the pool's
   * thread.
   */
  void refuse(KitException reason) {
    if (STATE.compareAndSet(this, PENDING, FINISHED)) {
      work = null;
      control.finished(this);
      control.offActors(() -> super.completeExceptionally(reason));
    }
  }

  /**
   * A cancel that interrupted this thread may still be on its way; wait for it, then clear the flag
   * so the interrupt cannot reach whatever the pool thread runs next.
   */
  private void absorbCancelInterrupt() {
    int now = state;
    if (now == INTERRUPTING || now == CANCELLED) {
      while (state == INTERRUPTING) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
    }
  }

  private RuntimeException asThrown(Throwable failure) {
    Throwable cause = Ask.unwrap(failure);
    if (cause instanceof KitException kit) {
      return kit;
    }
    if (cause instanceof CancellationException cancelled) {
      return cancelled;
    }
    return new TaskFailedException(control.describe(this), cause);
  }
}
