package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.Supervision;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A worker pool: Python's {@code ThreadPoolExecutor}, {@code ProcessPoolExecutor} and {@code
 * multiprocessing.Pool} as one coordinator actor with N worker actors below it.
 *
 * <p>The coordinator runs on the kit's coordination dispatcher and never runs user code; its
 * workers run on the blocking dispatcher (I/O-bound work, interruptible on cancel) or on the
 * compute dispatcher (CPU-bound work, one thread per core). Tasks start in submission order (see
 * {@link WorkerPoolState} for how they are batched). A task that raises an exception fails its own
 * future and its worker carries on; a task that raises an {@link Error} kills its worker: its
 * future fails with {@code WorkerDiedException}, the tasks the worker had not started go back to
 * the head of the queue, and a new worker replaces it (at once, then with a backoff doubling from
 * 100 ms to 5 s while workers keep dying). The pool stays usable, unlike Python's {@code
 * ProcessPoolExecutor} (broken for good) and {@code multiprocessing.Pool} (hangs).
 *
 * <p>After {@link Shutdown} the pool takes no new tasks (they fail with {@code RejectedException}),
 * optionally cancels the queued ones, finishes the rest, answers every {@link ShutdownComplete}
 * waiter and stops with its workers. A pool started with {@link WorkerPoolClient#start} is told
 * {@code Shutdown} when its kit closes, so queued work finishes as Python's executors finish theirs
 * at interpreter exit; if the pool is stopped any other way, the tasks it still holds fail with
 * {@code WorkerDiedException}.
 *
 * <p>Use it through {@link WorkerPoolClient}. Commands carry futures and code, so unlike the other
 * patterns' protocols they are not {@code KitMessage}s: a pool's tasks cannot cross JVMs.
 */
public final class WorkerPool extends AbstractBehavior<WorkerPool.Command> {

  /** Whether a submit to a full pool waits for room or is refused at once. */
  public enum WhenFull {
    WAIT,
    REJECT
  }

  /**
   * A pool's settings.
   *
   * @param workers how many workers, at least 1
   * @param dispatcher {@link KitDispatcher#BLOCKING} or {@link KitDispatcher#COMPUTE}
   * @param queueCapacity how many tasks may wait when every worker is busy (the pool admits at most
   *     {@code queueCapacity + workers} unfinished tasks)
   * @param whenFull what a submit does when that many are unfinished
   * @param maxBatch the most tasks handed to a worker in one message
   * @param maxTasksPerWorker how many tasks a worker runs before it is replaced by a fresh one
   *     (Python's {@code maxtasksperchild}); 0 for no limit
   * @param initializer run once by each worker, on its own thread, before its first task (Python's
   *     {@code initializer}); null for none. A worker whose initializer throws dies and is
   *     replaced, with the backoff of any worker that dies
   */
  public record Settings(
      int workers,
      KitDispatcher dispatcher,
      int queueCapacity,
      WhenFull whenFull,
      int maxBatch,
      int maxTasksPerWorker,
      Runnable initializer) {

    public Settings {
      if (workers < 1) {
        throw new IllegalArgumentException("a pool needs at least 1 worker, got " + workers);
      }
      if (dispatcher != KitDispatcher.BLOCKING && dispatcher != KitDispatcher.COMPUTE) {
        throw new IllegalArgumentException(
            "pool workers run on the blocking or compute dispatcher, not " + dispatcher);
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException(
            "queueCapacity must be at least 1, got " + queueCapacity);
      }
      if (whenFull == null) {
        throw new IllegalArgumentException("whenFull must be WAIT or REJECT");
      }
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
      }
      if (maxTasksPerWorker < 0) {
        throw new IllegalArgumentException(
            "maxTasksPerWorker must be 0 (no limit) or more, got " + maxTasksPerWorker);
      }
    }

    /** Settings without a task limit per worker or an initializer. */
    public Settings(
        int workers, KitDispatcher dispatcher, int queueCapacity, WhenFull whenFull, int maxBatch) {
      this(workers, dispatcher, queueCapacity, whenFull, maxBatch, 0, null);
    }

    /** {@code workers} workers for blocking work; a large queue; submits wait when it is full. */
    public static Settings blocking(int workers) {
      return new Settings(workers, KitDispatcher.BLOCKING, 1_000_000, WhenFull.WAIT, 64);
    }

    /** {@code workers} workers for CPU-bound work; a large queue; submits wait when it is full. */
    public static Settings compute(int workers) {
      return new Settings(workers, KitDispatcher.COMPUTE, 1_000_000, WhenFull.WAIT, 64);
    }

    public Settings withQueue(int queueCapacity, WhenFull whenFull) {
      return new Settings(
          workers, dispatcher, queueCapacity, whenFull, maxBatch, maxTasksPerWorker, initializer);
    }

    public Settings withMaxBatch(int maxBatch) {
      return new Settings(
          workers, dispatcher, queueCapacity, whenFull, maxBatch, maxTasksPerWorker, initializer);
    }

    /** Python's {@code maxtasksperchild}: each worker is replaced after {@code tasks} tasks. */
    public Settings withMaxTasksPerWorker(int tasks) {
      return new Settings(
          workers, dispatcher, queueCapacity, whenFull, maxBatch, tasks, initializer);
    }

    /**
     * Python's {@code initializer}: {@code initializer} runs once in each worker before its first
     * task.
     */
    public Settings withInitializer(Runnable initializer) {
      return new Settings(
          workers,
          dispatcher,
          queueCapacity,
          whenFull,
          maxBatch,
          maxTasksPerWorker,
          Objects.requireNonNull(initializer, "initializer"));
    }

    /** How many unfinished tasks the pool admits at most. */
    public long capacity() {
      return (long) queueCapacity + workers;
    }
  }

  /** What the pool coordinator understands. */
  public sealed interface Command {}

  /** Queue one task. */
  public record Submit(TaskFuture<?> task) implements Command {}

  /** Queue several tasks in one message, in order. */
  public record SubmitAll(List<TaskFuture<?>> tasks) implements Command {
    public SubmitAll {
      tasks = List.copyOf(tasks);
    }
  }

  /** Take no more tasks; cancel the queued ones if asked; tell {@code replyTo} once all is done. */
  public record Shutdown(boolean cancelPending, ActorRef<ShutdownComplete> replyTo)
      implements Command {}

  /**
   * Python's {@code pool.terminate()}: take no more tasks, cancel every task that has not started,
   * interrupt and cancel every running one (on either dispatcher), and stop once the workers are
   * free. Also what the kit tells a pool when its close's bound passes.
   */
  public enum Terminate implements Command {
    INSTANCE
  }

  /** Ask how the pool is doing. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Ask for the pool's admission control, to build another client on it. */
  public record Connect(ActorRef<Connected> replyTo) implements Command {}

  /** The pool has finished every task it accepted and stopped its workers. */
  public enum ShutdownComplete {
    INSTANCE
  }

  /**
   * A snapshot of the pool.
   *
   * @param workers workers alive now
   * @param busy workers running a batch
   * @param queued tasks waiting (cancelled ones may still be counted until they reach the head)
   * @param completedBatches batches finished since the start
   * @param workersReplaced workers that died and were replaced
   * @param shuttingDown whether the pool has been told to shut down
   * @param workersRetired workers replaced after their {@code maxTasksPerWorker} tasks
   */
  public record Status(
      int workers,
      int busy,
      int queued,
      long completedBatches,
      long workersReplaced,
      boolean shuttingDown,
      long workersRetired) {}

  /** The admission control shared by every client of one pool. */
  public record Connected(Admission admission, Settings settings) {}

  record WorkerReady(ActorRef<Worker.Command> worker) implements Command {}

  record BatchDone(ActorRef<Worker.Command> worker) implements Command {}

  /** The worker ran its {@code maxTasksPerWorker} tasks and stops; it is no death. */
  record Retiring(ActorRef<Worker.Command> worker) implements Command {}

  record TaskCancelled(TaskFuture<?> task) implements Command {}

  private record WorkerStopped(ActorRef<Worker.Command> worker) implements Command {}

  private enum ReplaceWorker implements Command {
    INSTANCE
  }

  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Supervision WORKER_SUPERVISION =
      Supervision.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, 0.2);

  /** The pool's behaviour; {@code admission} is the one its clients share. */
  public static Behavior<Command> create(Settings settings, Admission admission) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(timers -> new WorkerPool(context, timers, settings, admission)));
  }

  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final Admission admission;
  private final Tracer tracer;
  private final WorkerPoolState<ActorRef<Worker.Command>, TaskFuture<?>> state;
  private final List<ActorRef<ShutdownComplete>> shutdownWaiters = new ArrayList<>();
  private int workersAlive;
  private int nextWorkerId;
  private int consecutiveDeaths;
  private long completedBatches;
  private long workersReplaced;
  private long workersRetired;
  private final Set<ActorRef<Worker.Command>> retiring = new HashSet<>();
  private boolean shuttingDown;

  private WorkerPool(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Settings settings,
      Admission admission) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.admission = admission;
    this.tracer = Tracer.get(context.getSystem());
    this.state =
        new WorkerPoolState<>(settings.workers(), settings.maxBatch(), TaskFuture::isPending);
    for (int i = 0; i < settings.workers(); i++) {
      startWorker();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(SubmitAll.class, this::onSubmitAll)
        .onMessage(WorkerReady.class, this::onWorkerReady)
        .onMessage(BatchDone.class, this::onBatchDone)
        .onMessage(Retiring.class, this::onRetiring)
        .onMessage(TaskCancelled.class, this::onTaskCancelled)
        .onMessage(WorkerStopped.class, this::onWorkerStopped)
        .onMessageEquals(ReplaceWorker.INSTANCE, this::onReplaceWorker)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessageEquals(Terminate.INSTANCE, this::onTerminate)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(Connect.class, this::onConnect)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    accept(submit.task());
    return dispatch();
  }

  private Behavior<Command> onSubmitAll(SubmitAll submitAll) {
    submitAll.tasks().forEach(this::accept);
    return dispatch();
  }

  private void accept(TaskFuture<?> task) {
    if (shuttingDown) {
      task.refuse(
          new RejectedException(
              getContext().getSelf().path().toStringWithoutAddress(), "the pool is shut down"));
    } else {
      state.enqueue(task);
    }
  }

  private Behavior<Command> onWorkerReady(WorkerReady ready) {
    // A worker restarted by its supervisor says it is ready while still holding its batch.
    settle(
        ready.worker(), "worker " + ready.worker().path().name() + " restarted while running it");
    state.workerReady(ready.worker());
    return dispatch();
  }

  /**
   * Takes back what a lost worker held: unstarted tasks go to the head of the queue, started ones
   * fail.
   */
  private void settle(ActorRef<Worker.Command> worker, String why) {
    List<TaskFuture<?>> batch = state.workerLost(worker);
    if (!batch.isEmpty() && tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.REVOKED, worker, why);
    }
    state.requeueFirst(batch.stream().filter(TaskFuture::isPending).toList());
    batch.forEach(task -> task.workerDied(why));
  }

  private Behavior<Command> onBatchDone(BatchDone done) {
    state.batchDone(done.worker());
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.RELEASED, done.worker(), "batch done");
    }
    completedBatches++;
    consecutiveDeaths = 0;
    return dispatch();
  }

  private Behavior<Command> onTaskCancelled(TaskCancelled cancelled) {
    tracer.emit(getContext().getSelf(), "cancelled", "a queued task");
    return shuttingDown ? stopIfDone() : this;
  }

  private Behavior<Command> onRetiring(Retiring message) {
    retiring.add(message.worker());
    return this;
  }

  private Behavior<Command> onWorkerStopped(WorkerStopped stopped) {
    workersAlive--;
    settle(
        stopped.worker(), "worker " + stopped.worker().path().name() + " stopped while running it");
    if (retiring.remove(stopped.worker())) {
      // It ran its share of tasks: a fresh worker takes over at once, and what it had not started
      // goes first.
      workersRetired++;
      tracer.emit(getContext().getSelf(), "worker-retired", stopped.worker(), "");
      if (!shuttingDown) {
        startWorker();
      }
      return shuttingDown ? stopIfDone() : dispatch();
    }
    if (!shuttingDown && !timers.isTimerActive(ReplaceWorker.INSTANCE)) {
      tracer.emit(getContext().getSelf(), "worker-died", stopped.worker(), "");
      Duration backoff = backoffAfter(++consecutiveDeaths);
      if (backoff.isZero()) {
        replaceWorkers();
      } else {
        timers.startSingleTimer(ReplaceWorker.INSTANCE, backoff);
      }
    }
    return shuttingDown ? stopIfDone() : dispatch();
  }

  private Behavior<Command> onReplaceWorker() {
    if (!shuttingDown) {
      replaceWorkers();
    }
    return this;
  }

  private void replaceWorkers() {
    while (workersAlive < settings.workers()) {
      startWorker();
      workersReplaced++;
    }
  }

  private Behavior<Command> onShutdown(Shutdown shutdown) {
    beginShutdown(shutdown.cancelPending());
    if (shutdown.replyTo() != null) {
      shutdownWaiters.add(shutdown.replyTo());
    }
    return stopIfDone();
  }

  private Behavior<Command> onTerminate() {
    beginShutdown(true);
    tracer.emit(
        getContext().getSelf(),
        "terminated",
        state.inFlight().size() + " running tasks interrupted");
    state.inFlight().forEach(TaskFuture::cancelRunningByPool);
    return stopIfDone();
  }

  private void beginShutdown(boolean cancelPending) {
    shuttingDown = true;
    admission.close();
    if (cancelPending) {
      state.drainQueue().forEach(TaskFuture::cancelByPool);
      // Python cancels every future that has not started; a batch handed to a worker may still
      // hold some, which the worker then skips.
      state.inFlight().stream().filter(TaskFuture::isPending).forEach(TaskFuture::cancelByPool);
    }
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(
            new Status(
                workersAlive,
                state.busyWorkers(),
                state.queued(),
                completedBatches,
                workersReplaced,
                shuttingDown,
                workersRetired));
    return this;
  }

  private Behavior<Command> onConnect(Connect connect) {
    connect.replyTo().tell(new Connected(admission, settings));
    return this;
  }

  private Behavior<Command> onPostStop() {
    state
        .inFlight()
        .forEach(
            task -> {
              task.workerDied("the pool stopped while running it");
              task.abandon("the pool stopped before running it");
            });
    state.drainQueue().forEach(task -> task.abandon("the pool stopped before running it"));
    return this;
  }

  private Behavior<Command> dispatch() {
    for (WorkerPoolState.Assignment<ActorRef<Worker.Command>, TaskFuture<?>> assignment :
        state.dispatch()) {
      assignment.worker().tell(new Worker.Run(assignment.tasks()));
      if (tracer.enabled()) {
        // a worker holds its batch from here to BatchDone: a holding span on its lane
        int tasks = assignment.tasks().size();
        tracer.emit(
            getContext().getSelf(),
            TraceKind.GRANTED,
            assignment.worker(),
            tasks == 1 ? "1 task" : tasks + " tasks");
      }
    }
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.queued());
    }
    return shuttingDown ? stopIfDone() : this;
  }

  private Behavior<Command> stopIfDone() {
    if (!state.quiescent() || !admission.allReturned()) {
      return this; // a submit admitted before the shutdown is still on its way: it is refused here,
      // not lost
    }
    shutdownWaiters.forEach(waiter -> waiter.tell(ShutdownComplete.INSTANCE));
    shutdownWaiters.clear();
    return Behaviors.stopped();
  }

  private void startWorker() {
    String name = "worker-" + (++nextWorkerId);
    ActorRef<Worker.Command> worker =
        ActorKit.spawnChild(
            getContext(),
            name,
            Worker.create(
                getContext().getSelf(), settings.maxTasksPerWorker(), settings.initializer()),
            settings.dispatcher(),
            WORKER_SUPERVISION);
    getContext().watchWith(worker, new WorkerStopped(worker));
    workersAlive++;
  }

  /**
   * How long a pool waits before it replaces a dead worker: the first death at once; then 100 ms,
   * 200 ms, ... up to 5 s while workers keep dying. A process pool replaces its worker JVMs by the
   * same rule.
   */
  public static Duration backoffAfter(int consecutiveDeaths) {
    if (consecutiveDeaths <= 1) {
      return Duration.ZERO;
    }
    long millis = MIN_BACKOFF.toMillis() << Math.min(consecutiveDeaths - 2, 16);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }
}
