package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool for plain Java: Python's {@code concurrent.futures} executors and
 * {@code multiprocessing.Pool} in one facade.
 *
 * <pre>{@code
 * try (WorkerPoolClient pool = WorkerPoolClient.start(kit, "downloads", WorkerPool.Settings.blocking(4))) {
 *   TaskFuture<String> page = pool.submit(() -> fetch(url));        // returns at once
 *   Iterator<Integer> sizes = pool.map(String::length, urls, Duration.ofSeconds(30), 8);
 *   String body = page.result(Duration.ofSeconds(10));
 * }   // close() = shutdown(wait=true): queued tasks finish, then the workers stop
 * }</pre>
 *
 * <p>Tasks start in submission order. {@link #submit} costs one tell: the pool's
 * {@link Admission} decides in the caller's thread whether there is room. When the pool holds
 * {@code queueCapacity + workers} unfinished tasks, a submit waits for room (up to the client's
 * timeout, then {@link TimedOutException}) or is refused with {@link RejectedException},
 * according to {@link WorkerPool.Settings#whenFull()}. After {@link #shutdown} every submit is
 * refused with {@link RejectedException}; a submit racing with a shutdown from another thread
 * either throws or returns a future that fails with it. Durations are story time.
 */
public final class WorkerPoolClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerPoolClient.class);

  private final ActorRef<WorkerPool.Command> pool;
  private final ActorSystem<?> system;
  private final Callers callers;
  private final KitClock clock;
  private final WorkerPool.Settings settings;
  private final Admission admission;
  private final Duration timeout;
  private final String name;
  private final TaskFuture.TaskControl control;

  private WorkerPoolClient(
      ActorRef<WorkerPool.Command> pool, ActorSystem<?> system, WorkerPool.Settings settings, Admission admission, Duration timeout) {
    this.pool = pool;
    this.system = system;
    this.callers = Callers.get(system);
    this.clock = callers.clock();
    this.settings = settings;
    this.admission = admission;
    this.timeout = timeout;
    this.name = pool.path().name();
    this.control = new Control();
  }

  /**
   * Starts a pool named {@code name} under the kit's {@code pools} branch. It is a non-daemon
   * actor: when the kit closes, the pool finishes its queued tasks (while the primitives they use
   * still run) before it stops; if it is still busy when the close's bound passes, its running
   * tasks are interrupted and the rest cancelled ({@link WorkerPool.Terminate}).
   *
   * @throws RejectedException if the name is taken under {@code pools}
   */
  public static WorkerPoolClient create(ActorKit kit, String name, WorkerPool.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    Admission admission = Admission.forPool(settings);
    ActorRef<WorkerPool.Command> ref =
        kit.spawnFinishing(
            Branch.POOLS, name, WorkerPool.create(settings, admission), new WorkerPool.Shutdown(false, null), WorkerPool.Terminate.INSTANCE);
    return new WorkerPoolClient(ref, kit.system(), settings, admission, Callers.get(kit.system()).defaultTimeout());
  }

  /** {@link #create}: Python's executors start their workers when made. */
  public static WorkerPoolClient start(ActorKit kit, String name, WorkerPool.Settings settings) {
    return create(kit, name, settings);
  }

  /** Another client for a running pool, sharing its admission control (asks the pool for it). */
  public static WorkerPoolClient of(ActorRef<WorkerPool.Command> pool, ActorSystem<?> system) {
    Callers callers = Callers.get(system);
    WorkerPool.Connected connected =
        callers
            .ask(pool, callers.defaultTimeout(), "connecting to pool " + pool.path().name(), WorkerPool.Connect::new, (WorkerPool.Connected reply) -> reply)
            .await();
    return new WorkerPoolClient(pool, system, connected.settings(), connected.admission(), callers.defaultTimeout());
  }

  /** This client, waiting up to {@code timeout} (story time) for room and for shutdown. */
  public WorkerPoolClient withTimeout(Duration timeout) {
    return new WorkerPoolClient(pool, system, settings, admission, timeout);
  }

  /** The coordinator actor. */
  public ActorRef<WorkerPool.Command> ref() {
    return pool;
  }

  /** Python's {@code executor.submit(fn)}: queues the task and returns its future at once. */
  public <T> TaskFuture<T> submit(Callable<T> task) {
    admit(1);
    TaskFuture<T> future = new TaskFuture<>(task, control);
    pool.tell(new WorkerPool.Submit(future));
    return future;
  }

  /** Queues every task in one message, in order; returns their futures in the same order. */
  public <T> List<TaskFuture<T>> submitAll(List<? extends Callable<T>> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    admit(tasks.size());
    List<TaskFuture<T>> futures = new ArrayList<>(tasks.size());
    tasks.forEach(task -> futures.add(new TaskFuture<>(task, control)));
    pool.tell(new WorkerPool.SubmitAll(List.copyOf(futures)));
    return futures;
  }

  /**
   * Python's {@code executor.map(fn, items, timeout, chunksize)}: applies {@code fn} to every
   * item on the pool, {@code chunkSize} items per task, and yields the results lazily in input
   * order. If the next result is not there {@code timeout} (story time) after this call,
   * {@code next()} throws {@link TimedOutException}; if a task raised, {@code next()} throws
   * what {@link TaskFuture#result} throws. Either way the tasks not yet consumed are cancelled.
   */
  public <T, R> Iterator<R> map(Function<? super T, ? extends R> fn, List<? extends T> items, Duration timeout, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
    }
    List<Callable<List<R>>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += chunkSize) {
      List<? extends T> chunk = List.copyOf(items.subList(from, Math.min(items.size(), from + chunkSize)));
      chunks.add(() -> {
        List<R> results = new ArrayList<>(chunk.size());
        for (T item : chunk) {
          results.add(fn.apply(item));
        }
        return results;
      });
    }
    List<TaskFuture<List<R>>> futures = submitAll(chunks);
    long deadline = System.nanoTime() + clock.toReal(timeout).toNanos();
    return new Iterator<>() {
      private int chunk;
      private Iterator<R> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        return current.hasNext() || chunk < futures.size();
      }

      @Override
      public R next() {
        if (!current.hasNext()) {
          if (chunk >= futures.size()) {
            throw new NoSuchElementException("map has yielded all " + items.size() + " results");
          }
          try {
            Duration left = clock.toStory(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            current = futures.get(chunk).result(left).iterator();
            chunk++;
          } catch (RuntimeException e) {
            futures.subList(chunk, futures.size()).forEach(TaskFuture::cancel);
            chunk = futures.size();
            if (e instanceof TimedOutException) {
              throw new TimedOutException("the next result of map over " + items.size() + " items", timeout, e);
            }
            throw e;
          }
        }
        return current.next();
      }
    };
  }

  /**
   * Python's {@code pool.apply_async(fn, callback=..., error_callback=...)}: submits the task;
   * when it ends, {@code callback} gets its value or {@code errorCallback} what it raised (or the
   * {@code WorkerDiedException}). A cancelled task calls neither. Callbacks run in the thread
   * that completes the task, usually a worker's: keep them short.
   */
  public <T> TaskFuture<T> applyAsync(Callable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
    TaskFuture<T> future = submit(task);
    future.whenComplete((value, failure) -> {
      try {
        if (failure == null) {
          callback.accept(value);
        } else if (!future.isCancelled()) {
          errorCallback.accept(Ask.unwrap(failure));
        }
      } catch (RuntimeException e) {
        log.warn("A callback of a task in pool '{}' raised {}", name, e.toString());
      }
    });
    return future;
  }

  /** Python's {@code pool.apply(fn)}: submits the task and waits for its value. */
  public <T> T apply(Callable<T> task, Duration timeout) {
    return submit(task).result(timeout);
  }

  /** A snapshot of the pool's workers and queue. */
  public WorkerPool.Status status() {
    return callers.ask(pool, timeout, "the status of pool " + name, WorkerPool.GetStatus::new, (WorkerPool.Status reply) -> reply).await();
  }

  /**
   * Python's {@code executor.shutdown(wait, cancel_futures)}: takes no more tasks; with
   * {@code cancelFutures}, cancels every task that has not started, and they are cancelled by
   * the time this returns, as in Python; with {@code wait}, returns once every remaining task is
   * done and the workers have stopped (at most the client's timeout).
   *
   * @return true if the pool has stopped (always true without {@code wait}: it is stopping)
   */
  public boolean shutdown(boolean wait, boolean cancelFutures) {
    admission.close();
    pool.tell(new WorkerPool.Shutdown(cancelFutures, null));
    if (cancelFutures && !wait) {
      awaitShutdownBegun();
    }
    return !wait || join(timeout);
  }

  /**
   * Waits until the pool has processed the Shutdown told before this: a status answer comes after
   * it (same thread, same mailbox), or the pool has already stopped (an idle pool stops at once).
   */
  private void awaitShutdownBegun() {
    CompletableFuture<Object> answered =
        CompletableFuture.anyOf(
            // An ask to a pool that has stopped fails at once; that, too, means the shutdown was read.
            callers.ask(pool, timeout, "the status of pool " + name, WorkerPool.GetStatus::new, (WorkerPool.Status reply) -> reply)
                .async()
                .handle((status, failure) -> null)
                .toCompletableFuture(),
            ActorKit.joinAsync(system, pool, timeout).handle((done, failure) -> null).toCompletableFuture());
    Ask.await(answered, callers.answerBound(timeout), "pool " + name + " to begin its shutdown");
  }

  /**
   * Python's {@code pool.terminate()}: takes no more tasks, cancels every task that has not
   * started, interrupts and cancels every running one (on either dispatcher, unlike
   * {@link TaskFuture#cancel()}), and waits up to the client's timeout for the pool to stop.
   *
   * @return true if the pool has stopped
   */
  public boolean terminate() {
    admission.close();
    pool.tell(WorkerPool.Terminate.INSTANCE);
    return join(timeout);
  }

  /**
   * Python's {@code pool.join()}: waits up to {@code timeout} (story time) for a shut-down pool
   * to finish its tasks and stop.
   *
   * @return true if it has stopped
   * @throws IllegalStateException if the pool was not shut down first, as in Python
   */
  public boolean join(Duration timeout) {
    if (!admission.isClosed()) {
      throw new IllegalStateException("pool '" + name + "' is still running: shut it down (close()) before join()");
    }
    try {
      Ask.await(ActorKit.joinAsync(system, pool, timeout), callers.answerBound(timeout), "pool " + name + " to stop");
      return true;
    } catch (TimedOutException e) {
      return false;
    }
  }

  /** {@code shutdown(wait=true, cancelFutures=false)}, so try-with-resources is Python's {@code with}. */
  @Override
  public void close() {
    shutdown(true, false);
  }

  private void admit(int count) {
    callers.checkOpen("submitting to pool '" + name + "'");
    Duration wait = settings.whenFull() == WorkerPool.WhenFull.WAIT ? clock.toReal(timeout) : Duration.ZERO;
    switch (admission.enter(count, wait)) {
      case ADMITTED -> { }
      case CLOSED -> throw new RejectedException("pool '" + name + "'", "the pool is shut down");
      case FULL -> {
        if (settings.whenFull() == WorkerPool.WhenFull.WAIT) {
          throw new TimedOutException("room for " + count + " task(s) in pool '" + name + "'", timeout);
        }
        throw new RejectedException("pool '" + name + "'", "the pool is full (" + settings.queueCapacity()
            + " queued and " + settings.workers() + " running)");
      }
    }
  }

  private final class Control implements TaskFuture.TaskControl {
    @Override
    public KitClock clock() {
      return clock;
    }

    @Override
    public boolean interruptsRunningTasks() {
      return settings.dispatcher() == KitDispatcher.BLOCKING;
    }

    @Override
    public void finished(TaskFuture<?> task) {
      admission.release();
    }

    @Override
    public void cancelledWhilePending(TaskFuture<?> task) {
      pool.tell(new WorkerPool.TaskCancelled(task));
    }

    @Override
    public void offActors(Runnable completion) {
      callers.offActors(completion);
    }

    @Override
    public String describe(TaskFuture<?> task) {
      return "a task of pool '" + name + "'";
    }
  }
}
