package dev.actorkit.cluster.process;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.patterns.pool.Admission;
import dev.actorkit.patterns.pool.PoolJoin;
import dev.actorkit.patterns.pool.TaskFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process pool for plain Java: Python's {@code ProcessPoolExecutor} / {@code
 * multiprocessing.Pool} with worker JVMs. The rules are {@link ProcessPool}'s.
 *
 * <pre>{@code
 * try (ProcessPoolClient pool = ProcessPoolClient.start(kit, "primes", ProcessPool.Settings.of(2, PrimeTasks.class))) {
 *   TaskFuture<Long> count = pool.submit(Long.class, "count-primes", 3_000_000);
 *   List<Long> counts = pool.map(Long.class, "count-primes", List.of(100_000, 200_000), Duration.ofMinutes(1));
 *   long answer = count.result(Duration.ofMinutes(1));
 * }   // close() = shutdown(wait=true): the queue finishes, then the worker JVMs exit
 * }</pre>
 *
 * <p>A submit costs no round trip: admission is decided in the caller's thread, as in {@code
 * WorkerPoolClient}, and a full pool makes it wait (up to the client's timeout) or refuses it, by
 * {@link ProcessPool.Settings#whenFull()}. A task name the pool's {@link ProcessTasks} did not
 * register, or arguments that cannot be written as JSON, are refused with {@link RejectedException}
 * before anything is queued. Durations are story time. Thread-safe.
 */
public final class ProcessPoolClient implements AutoCloseable {

  private final ActorRef<ProcessPool.Command> pool;
  private final ActorSystem<?> system;
  private final Callers callers;
  private final KitClock clock;
  private final ProcessPool.Settings settings;
  private final ProcessTasks.Registry registry;
  private final Admission admission;
  private final Duration timeout;
  private final String name;
  private final AtomicLong ids;
  private final TaskFuture.TaskControl control;

  private ProcessPoolClient(
      ActorRef<ProcessPool.Command> pool,
      ActorSystem<?> system,
      ProcessPool.Settings settings,
      ProcessTasks.Registry registry,
      Admission admission,
      Duration timeout,
      AtomicLong ids) {
    this.pool = pool;
    this.system = system;
    this.callers = Callers.get(system);
    this.clock = callers.clock();
    this.settings = settings;
    this.registry = registry;
    this.admission = admission;
    this.timeout = timeout;
    this.name = pool.path().name();
    this.ids = ids;
    this.control = new Control();
  }

  /**
   * Starts a pool named {@code name} under the kit's {@code pools} branch and its worker JVMs
   * (tasks submitted meanwhile wait for them). It is a non-daemon actor: when the kit closes, the
   * pool finishes its queue before it stops, and is terminated past the close's bound.
   *
   * @throws RejectedException if the name is taken under {@code pools}
   * @throws IllegalArgumentException if the tasks class cannot be built
   */
  public static ProcessPoolClient create(ActorKit kit, String name, ProcessPool.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    ProcessTasks.Registry registry =
        ProcessTasks.Registry.of(settings.tasks()); // refuse a bad class here, not in N JVMs
    Admission admission = Admission.of(settings.capacity());
    ActorRef<ProcessPool.Command> ref =
        kit.spawnFinishing(
            Branch.POOLS,
            name,
            ProcessPool.create(settings, admission),
            new ProcessPool.Shutdown(false),
            ProcessPool.Terminate.INSTANCE);
    return new ProcessPoolClient(
        ref,
        kit.system(),
        settings,
        registry,
        admission,
        Callers.get(kit.system()).defaultTimeout(),
        new AtomicLong());
  }

  /** {@link #create}: Python's executors start their workers when made. */
  public static ProcessPoolClient start(ActorKit kit, String name, ProcessPool.Settings settings) {
    return create(kit, name, settings);
  }

  /** This client, waiting up to {@code timeout} (story time) for room and for shutdown. */
  public ProcessPoolClient withTimeout(Duration timeout) {
    return new ProcessPoolClient(
        pool,
        system,
        settings,
        registry,
        admission,
        callers.checkTimeout(timeout, "a process pool client"),
        ids);
  }

  public ActorRef<ProcessPool.Command> ref() {
    return pool;
  }

  /**
   * Python's {@code executor.submit(fn, *args)}: queues the task named {@code task} with {@code
   * args} and returns its future at once; its result is read as {@code resultType}.
   */
  public <R> TaskFuture<R> submit(Class<R> resultType, String task, Object... args) {
    Objects.requireNonNull(resultType, "resultType");
    if (registry.task(task) == null) {
      throw new RejectedException(
          "process pool '" + name + "'",
          "no task named '" + task + "'; registered: " + registry.names());
    }
    JsonNode encoded;
    int bytes;
    try {
      encoded = Wire.JSON.valueToTree(args == null ? new Object[] {null} : args);
      bytes = Wire.encode(encoded).length;
    } catch (IllegalArgumentException unwritable) {
      throw new RejectedException(
          "process pool '" + name + "'",
          "the arguments of task '"
              + task
              + "' cannot be written as JSON: "
              + unwritable.getMessage());
    }
    if (bytes > ProcessPool.FRAME_BUDGET) {
      throw new RejectedException(
          "process pool '" + name + "'",
          "the arguments of task '"
              + task
              + "' are "
              + bytes
              + " bytes of JSON, more than a task may carry ("
              + ProcessPool.FRAME_BUDGET
              + ")");
    }
    callers.checkOpen("submitting to process pool '" + name + "'");
    admission.admit(
        1,
        settings.whenFull(),
        timeout,
        clock.toReal(timeout),
        "process pool '" + name + "'",
        settings.queueCapacity() + " queued and " + settings.processes() + " running");
    TaskFuture.Completer<Object> completer = TaskFuture.completer(control);
    ProcessPool.Job job =
        new ProcessPool.Job(
            ids.incrementAndGet(),
            new ProcessPool.ProcessTask(task, encoded),
            bytes,
            completer,
            value -> Wire.JSON.convertValue(value, resultType));
    pool.tell(new ProcessPool.Submit(job));
    @SuppressWarnings("unchecked") // the decoder above reads every result as R
    TaskFuture<R> future = (TaskFuture<R>) (TaskFuture<?>) completer.future();
    return future;
  }

  /**
   * Python's {@code pool.map(fn, items)}: the task named {@code task} once per item (the item its
   * one argument), results in input order. If they are not all there within {@code timeout}, the
   * rest are cancelled and {@link TimedOutException} is thrown; a failed task's exception is thrown
   * (as {@link TaskFuture#result} throws it) and the rest are cancelled.
   */
  public <R> List<R> map(Class<R> resultType, String task, List<?> items, Duration timeout) {
    long deadline =
        System.nanoTime()
            + clock
                .toReal(callers.checkTimeout(timeout, "a map over process pool '" + name + "'"))
                .toNanos();
    List<TaskFuture<R>> futures = new ArrayList<>(items.size());
    try {
      for (Object item : items) {
        futures.add(submit(resultType, task, item));
      }
      List<R> results = new ArrayList<>(futures.size());
      for (TaskFuture<R> future : futures) {
        results.add(
            future.result(
                clock.toStory(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))));
      }
      return results;
    } catch (RuntimeException e) {
      futures.forEach(TaskFuture::cancel);
      throw e;
    }
  }

  /** A snapshot of the worker JVMs and the queue. */
  public ProcessPool.Status status() {
    return callers
        .ask(
            pool,
            timeout,
            "the status of process pool " + name,
            ProcessPool.GetStatus::new,
            (ProcessPool.Status reply) -> reply)
        .await();
  }

  /**
   * Python's {@code executor.shutdown(wait, cancel_futures)}: takes no more tasks; with {@code
   * cancelFutures} cancels every queued task; with {@code wait}, returns once the rest are done and
   * the pool has stopped (at most the client's timeout).
   *
   * @return true if the pool has stopped (always true without {@code wait}: it is stopping)
   */
  public boolean shutdown(boolean wait, boolean cancelFutures) {
    admission.close();
    pool.tell(new ProcessPool.Shutdown(cancelFutures));
    if (cancelFutures && !wait) {
      awaitShutdownBegun();
    }
    return !wait || join(timeout);
  }

  /**
   * The queued tasks are cancelled by the time shutdown returns, as in Python: a status answer
   * comes after the Shutdown.
   */
  private void awaitShutdownBegun() {
    try {
      status();
    } catch (RuntimeException stopped) {
      // the pool had nothing left and has stopped: the shutdown was read
    }
  }

  /**
   * Python's {@code pool.terminate()}: kills every worker JVM now and cancels every task; waits up
   * to the client's timeout.
   */
  public boolean terminate() {
    admission.close();
    pool.tell(ProcessPool.Terminate.INSTANCE);
    return join(timeout);
  }

  /**
   * Python's {@code pool.join()}: waits up to {@code timeout} for a shut-down pool to stop.
   *
   * @throws IllegalStateException if the pool was not shut down first, as in Python
   */
  public boolean join(Duration timeout) {
    return PoolJoin.join(system, pool, admission, timeout, "process pool '" + name + "'");
  }

  /** {@code shutdown(wait=true, cancelFutures=false)}. */
  @Override
  public void close() {
    shutdown(true, false);
  }

  static void offActors(ActorSystem<?> system, Runnable completion) {
    Callers.get(system).offActors(completion);
  }

  private final class Control implements TaskFuture.TaskControl {
    @Override
    public KitClock clock() {
      return clock;
    }

    @Override
    public boolean interruptsRunningTasks() {
      return false; // a task in another JVM is not interrupted; terminate() kills the JVM
    }

    @Override
    public void finished(TaskFuture<?> task) {
      admission.release();
    }

    @Override
    public void cancelledWhilePending(TaskFuture<?> task) {
      pool.tell(new ProcessPool.TaskCancelled());
    }

    @Override
    public void offActors(Runnable completion) {
      callers.offActors(completion);
    }

    @Override
    public String describe(TaskFuture<?> task) {
      return "a task of process pool '" + name + "'";
    }
  }
}
