package dev.actorkit.cluster.process;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.pool.Admission;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolState;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python's {@code ProcessPoolExecutor} and {@code multiprocessing.Pool} with real processes: a
 * coordinator actor under the kit's {@code pools} branch and N worker JVMs that it starts ({@link
 * ChildJvm}) and talks to over loopback sockets ({@link ProcessWorker}). Tasks are named, not
 * lambdas: a {@link ProcessTask} is a name that {@link ProcessTasks} registered and its arguments
 * as JSON. Used through {@link ProcessPoolClient}.
 *
 * <ul>
 *   <li><b>Order and batches</b> follow {@link WorkerPoolState}: tasks start in submission order, a
 *       worker JVM gets {@code ceil(queued / processes)} of them at a time (at most {@code
 *       maxBatch}) and runs them one after another, answering each.
 *   <li><b>A worker JVM that dies</b> (SIGKILL, {@code System.exit} in a task, out of memory) fails
 *       only the task it was running, with {@code WorkerDiedException} carrying the exit code; the
 *       tasks of its batch it had not started go back to the head of the queue, and the pool starts
 *       a new worker JVM (at once, then with a backoff from 100 ms to 5 s while workers keep
 *       dying). Python's {@code ProcessPoolExecutor} is broken for good after that, and {@code
 *       multiprocessing.Pool} hangs.
 *   <li><b>Cancel</b> takes a queued task out of the queue; a task handed to a worker JVM that has
 *       not started yet is cancelled too (the worker may still run it; its answer is dropped); a
 *       running one cannot be cancelled, as in Python.
 *   <li><b>Shutdown</b> finishes the queue (or cancels it), then closes the connections and the
 *       worker JVMs exit; {@link Terminate} kills them at once (SIGKILL) and cancels every task.
 *       When the kit closes, the pool is told to shut down, and to terminate past the close's
 *       bound. No worker JVM outlives its pool, nor this JVM (even when it is killed).
 * </ul>
 *
 * <p>The coordinator never blocks: worker JVMs start on the blocking dispatcher, sockets are read
 * and written by each link's own threads, and futures complete on the blocking dispatcher.
 */
public final class ProcessPool extends AbstractBehavior<ProcessPool.Command> {

  private static final Logger log = LoggerFactory.getLogger(ProcessPool.class);

  /**
   * A task for a worker JVM: a name {@link ProcessTasks} registered, and its arguments (a JSON
   * array).
   */
  public record ProcessTask(String name, JsonNode args) implements KitMessage {}

  /**
   * How a process pool is made.
   *
   * @param processes how many worker JVMs run at once
   * @param tasks the tasks they can run (a public class with a public no-argument constructor)
   * @param queueCapacity how many tasks may wait when every worker is busy
   * @param whenFull what a submit does when {@code queueCapacity + processes} tasks are unfinished
   * @param maxBatch the most tasks handed to a worker JVM at once
   * @param jvmOptions the worker JVMs' options (heap, GC)
   * @param output where the lines that worker JVMs print go, each with the worker's name in front
   */
  public record Settings(
      int processes,
      Class<? extends ProcessTasks> tasks,
      int queueCapacity,
      WorkerPool.WhenFull whenFull,
      int maxBatch,
      List<String> jvmOptions,
      Consumer<String> output) {

    public Settings {
      if (processes < 1) {
        throw new IllegalArgumentException(
            "a process pool needs at least 1 process, got " + processes);
      }
      Objects.requireNonNull(tasks, "tasks");
      if (queueCapacity < 1) {
        throw new IllegalArgumentException(
            "queueCapacity must be at least 1, got " + queueCapacity);
      }
      Objects.requireNonNull(whenFull, "whenFull");
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
      }
      jvmOptions = List.copyOf(jvmOptions);
      Objects.requireNonNull(output, "output");
    }

    /** {@code processes} worker JVMs running {@code tasks}; a large queue; their output logged. */
    public static Settings of(int processes, Class<? extends ProcessTasks> tasks) {
      return new Settings(
          processes,
          tasks,
          1_000_000,
          WorkerPool.WhenFull.WAIT,
          64,
          List.of("-Xmx256m", "-XX:+UseSerialGC"),
          line -> log.info("{}", line));
    }

    public Settings withQueue(int queueCapacity, WorkerPool.WhenFull whenFull) {
      return new Settings(processes, tasks, queueCapacity, whenFull, maxBatch, jvmOptions, output);
    }

    public Settings withMaxBatch(int maxBatch) {
      return new Settings(processes, tasks, queueCapacity, whenFull, maxBatch, jvmOptions, output);
    }

    public Settings withJvmOptions(List<String> jvmOptions) {
      return new Settings(processes, tasks, queueCapacity, whenFull, maxBatch, jvmOptions, output);
    }

    public Settings withOutput(Consumer<String> output) {
      return new Settings(processes, tasks, queueCapacity, whenFull, maxBatch, jvmOptions, output);
    }

    /** How many unfinished tasks the pool admits at most. */
    public int capacity() {
      return (int) Math.min(Integer.MAX_VALUE, (long) queueCapacity + processes);
    }
  }

  /** What the pool understands. */
  public sealed interface Command {}

  /** Queue a task (made by {@link ProcessPoolClient}). */
  record Submit(Job job) implements Command {}

  /** Take no more tasks; finish the queue (or cancel it), then stop. */
  public record Shutdown(boolean cancelPending) implements Command {}

  /** Kill every worker JVM now, cancel every task, stop. */
  public enum Terminate implements Command {
    INSTANCE
  }

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param processes worker JVMs connected now
   * @param busy those running a batch
   * @param queued tasks waiting
   * @param completed tasks that returned a value
   * @param failed tasks that raised, or whose worker JVM died under them
   * @param workerRestarts worker JVMs started to replace dead ones
   * @param pids the process ids of the connected worker JVMs, by slot
   */
  public record Status(
      int processes,
      int busy,
      int queued,
      long completed,
      long failed,
      long workerRestarts,
      boolean shuttingDown,
      List<Long> pids) {}

  record TaskCancelled() implements Command {}

  private record Launched(int slot, int generation, ChildJvm child, Throwable failure)
      implements Command {}

  private record Connected(int slot, int generation, WorkerLink link, DataInputStream in)
      implements Command {}

  private record Answered(int slot, int generation, JsonNode answer) implements Command {}

  /** The link's reader has ended: sent by the same thread as the answers, so after the last one. */
  private record LinkEnded(int slot, int generation) implements Command {}

  private record Exited(int slot, int generation, int exitCode) implements Command {}

  /** The JVM exited but its link has not said it ended: the answers it sent are taken as all. */
  private record LinkEndOverdue(int slot, int generation) implements Command {}

  private record Relaunch(int slot) implements Command {}

  /** A task's future completed (and gave its place back) after the pool last looked: look again. */
  private enum Recheck implements Command {
    INSTANCE
  }

  /**
   * How long a dead worker's last answers may trail its exit (the reader reads to the end first).
   */
  private static final Duration LAST_ANSWERS = Duration.ofSeconds(2);

  /**
   * The most bytes of arguments in one frame to a worker; a batch longer than this goes in several.
   * A task's own arguments may not be longer ({@link ProcessPoolClient} refuses them).
   */
  static final int FRAME_BUDGET = Wire.MAX_FRAME / 2;

  /**
   * A submitted task: what to send (and its arguments' length as JSON), the handle of its future,
   * and how to read its result.
   */
  record Job(
      long id,
      ProcessTask task,
      int argsBytes,
      TaskFuture.Completer<Object> completer,
      Function<JsonNode, Object> decode) {
    boolean pending() {
      return completer.isPending();
    }
  }

  /**
   * One worker JVM's place: the generation in it now, its JVM once started, its link once
   * connected, how far its batch got, and how it is ending. A worker's death is handled once both
   * its exit and the end of its link are known, so that answers it sent before dying count.
   */
  private static final class Slot {
    final int index;
    int generation;
    ChildJvm child;
    WorkerLink link;
    List<Job> batch = List.of();
    int answered;
    Integer exitCode;
    boolean linkEnded;

    Slot(int index) {
      this.index = index;
    }

    String name() {
      return "worker-" + index;
    }
  }

  static Behavior<Command> create(Settings settings, Admission admission) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(timers -> new ProcessPool(context, timers, settings, admission)));
  }

  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final Admission admission;
  private final Tracer tracer;
  private final String poolName;
  private final String token = UUID.randomUUID().toString();
  private final ServerSocket server;
  private final WorkerPoolState<Integer, Job> state;
  private final Map<Integer, Slot> slots = new HashMap<>();

  /** Every worker JVM started and every connection accepted, for PostStop to end what is left. */
  private final Set<ChildJvm> children = ConcurrentHashMap.newKeySet();

  private final Set<WorkerLink> links = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /**
   * Set before a shutdown first looks at the admission, read by completions after they give their
   * place back.
   */
  private volatile boolean shutdownSeen;

  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private long restarts;
  private int consecutiveDeaths;
  private boolean shuttingDown;

  private ProcessPool(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Settings settings,
      Admission admission) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.admission = admission;
    this.tracer = Tracer.get(context.getSystem());
    this.poolName = context.getSelf().path().name();
    this.state = new WorkerPoolState<>(settings.processes(), settings.maxBatch(), Job::pending);
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "process pool " + poolName + " could not listen on the loopback interface", e);
    }
    startAcceptor();
    for (int i = 1; i <= settings.processes(); i++) {
      Slot slot = new Slot(i);
      slots.put(i, slot);
      launch(slot);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Launched.class, this::onLaunched)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(LinkEnded.class, this::onLinkEnded)
        .onMessage(Exited.class, this::onExited)
        .onMessage(LinkEndOverdue.class, this::onLinkEndOverdue)
        .onMessage(
            Relaunch.class,
            relaunch -> {
              if (wanted()) {
                launch(slots.get(relaunch.slot()));
              }
              return this;
            })
        .onMessage(TaskCancelled.class, cancelled -> shuttingDown ? stopIfDone() : this)
        .onMessageEquals(Recheck.INSTANCE, () -> shuttingDown ? stopIfDone() : this)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessageEquals(Terminate.INSTANCE, this::onTerminate)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  /** Whether workers are still needed: the pool runs, or it is shutting down with tasks left. */
  private boolean wanted() {
    return !shuttingDown || !state.quiescent();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    if (shuttingDown) {
      submit
          .job()
          .completer()
          .refuse(
              new RejectedException("process pool '" + poolName + "'", "the pool is shut down"));
      return stopIfDone();
    }
    state.enqueue(submit.job());
    return dispatch();
  }

  /** Starts a worker JVM for {@code slot} on the blocking dispatcher: starting a process blocks. */
  private void launch(Slot slot) {
    int generation = ++slot.generation;
    slot.exitCode = null;
    slot.linkEnded = false;
    List<String> args =
        List.of(
            String.valueOf(server.getLocalPort()),
            String.valueOf(slot.index),
            String.valueOf(generation),
            token,
            settings.tasks().getName());
    String prefix = "[" + poolName + " " + slot.name() + "] ";
    CompletableFuture<ChildJvm> started =
        CompletableFuture.supplyAsync(
            () -> {
              ChildJvm child =
                  ChildJvm.start(
                      ProcessWorker.class, args, settings.jvmOptions(), prefix, settings.output());
              children.add(child);
              if (stopped) {
                child.kill(true); // the pool stopped while this JVM was starting
              }
              return child;
            },
            KitDispatcher.BLOCKING.executor(getContext().getSystem()));
    getContext()
        .pipeToSelf(
            started, (child, failure) -> new Launched(slot.index, generation, child, failure));
  }

  private Behavior<Command> onLaunched(Launched launched) {
    Slot slot = slots.get(launched.slot());
    if (launched.generation() != slot.generation) {
      if (launched.child() != null) {
        launched.child().kill(true); // no longer wanted
      }
      return this;
    }
    if (launched.failure() != null) {
      log.error("process pool {} could not start {}", poolName, slot.name(), launched.failure());
      slot.exitCode = -1;
      slot.linkEnded = true;
      return died(slot);
    }
    slot.child = launched.child();
    tracer.emit(
        getContext().getSelf(), "process-started", slot.name(), "pid " + launched.child().pid());
    getContext()
        .pipeToSelf(
            launched.child().onExit(),
            (code, failure) ->
                new Exited(slot.index, launched.generation(), code == null ? -1 : code));
    return this;
  }

  private Behavior<Command> onConnected(Connected connected) {
    Slot slot = slots.get(connected.slot());
    if (slot == null
        || connected.generation() != slot.generation
        || slot.link != null
        || slot.exitCode != null) {
      connected.link().closeNow(); // a worker of an earlier generation, or one already dead
      links.remove(connected.link());
      return this;
    }
    slot.link = connected.link();
    ActorRef<Command> self = getContext().getSelf();
    int generation = connected.generation();
    try {
      connected
          .link()
          .start(
              "actorkit-" + poolName + "-" + slot.name(),
              connected.in(),
              answer -> self.tell(new Answered(slot.index, generation, answer)),
              () -> self.tell(new LinkEnded(slot.index, generation)));
    } catch (IOException e) {
      connected.link().closeNow(); // the reader never ran: its end is now
      slot.linkEnded = true;
      killChild(slot);
      return this;
    }
    state.workerReady(slot.index);
    return dispatch();
  }

  private Behavior<Command> onAnswered(Answered answered) {
    Slot slot = slots.get(answered.slot());
    if (answered.generation() != slot.generation || slot.answered >= slot.batch.size()) {
      return this;
    }
    Job job = slot.batch.get(slot.answered);
    if (answered.answer().path("id").asLong() != job.id()) {
      log.error(
          "process pool {}: {} answered task {} out of turn (expected {}); ending it",
          poolName,
          slot.name(),
          answered.answer().path("id"),
          job.id());
      killChild(slot); // its death fails the task it holds and starts a new worker
      return this;
    }
    slot.answered++;
    traceTask(TraceKind.RELEASED, slot, job, "answered");
    if (slot.answered < slot.batch.size()) {
      startNext(slot); // the worker runs its batch in order
    }
    complete(slot, job, answered.answer());
    if (slot.answered == slot.batch.size()) {
      state.batchDone(slot.index);
      slot.batch = List.of();
      consecutiveDeaths = 0;
      return dispatch();
    }
    return this;
  }

  /**
   * Completes the job off the coordinator's thread: its future's dependents are user code, and
   * Jackson may run the result type's constructor.
   */
  private void complete(Slot slot, Job job, JsonNode answer) {
    JsonNode error = answer.get("error");
    String where =
        "task '"
            + job.task().name()
            + "' in "
            + slot.name()
            + " of process pool '"
            + poolName
            + "'";
    ActorRef<Command> self = getContext().getSelf();
    ProcessPoolClient.offActors(
        getContext().getSystem(),
        () -> {
          settle(job, answer, error, where);
          if (shutdownSeen) {
            self.tell(Recheck.INSTANCE); // its place came back after the shutdown looked
          }
        });
  }

  /**
   * Completes the job. Each count goes up before the future completes (and back down if a cancel
   * won), so whoever sees the result and then asks for the status finds it counted.
   */
  private void settle(Job job, JsonNode answer, JsonNode error, String where) {
    if (error != null) {
      ProcessTaskException raised =
          new ProcessTaskException(
              error.path("type").asText(),
              error.path("message").asText(),
              error.path("trace").asText(),
              where);
      counted(failed, () -> job.completer().fail(raised));
      return;
    }
    Object result;
    try {
      result = job.decode().apply(answer.get("value"));
    } catch (RuntimeException unreadable) {
      counted(failed, () -> job.completer().fail(unreadable));
      return;
    }
    counted(completed, () -> job.completer().succeed(result));
  }

  private static void counted(AtomicLong counter, BooleanSupplier ending) {
    counter.incrementAndGet();
    if (!ending.getAsBoolean()) {
      counter.decrementAndGet(); // a task cancelled meanwhile does not count
    }
  }

  private Behavior<Command> onLinkEnded(LinkEnded ended) {
    Slot slot = slots.get(ended.slot());
    if (ended.generation() != slot.generation) {
      return this;
    }
    slot.linkEnded = true;
    if (slot.exitCode == null) {
      killChild(
          slot); // a link that ends while its JVM runs is broken (a garbled frame): end the JVM too
      return this;
    }
    return died(slot);
  }

  private Behavior<Command> onExited(Exited exited) {
    Slot slot = slots.get(exited.slot());
    if (exited.generation() != slot.generation) {
      return this;
    }
    slot.exitCode = exited.exitCode();
    if (slot.link == null || slot.linkEnded) {
      slot.linkEnded = true;
      return died(slot);
    }
    timers.startSingleTimer(
        "last-answers-" + slot.index,
        new LinkEndOverdue(slot.index, slot.generation),
        LAST_ANSWERS);
    return this;
  }

  private Behavior<Command> onLinkEndOverdue(LinkEndOverdue overdue) {
    Slot slot = slots.get(overdue.slot());
    if (overdue.generation() != slot.generation || slot.linkEnded) {
      return this;
    }
    slot.linkEnded = true;
    return died(slot);
  }

  /**
   * The slot's JVM is gone and every answer it sent is in: its running task fails, the rest of its
   * batch goes first in the queue, and a new JVM comes (also while shutting down, if tasks are
   * left).
   */
  private Behavior<Command> died(Slot slot) {
    int exitCode = slot.exitCode;
    long pid = slot.child == null ? -1 : slot.child.pid();
    timers.cancel("last-answers-" + slot.index);
    if (slot.link != null) {
      slot.link.closeNow();
      links.remove(slot.link);
    }
    if (slot.child != null) {
      children.remove(slot.child);
    }
    slot.link = null;
    slot.child = null;
    slot.generation++; // whatever the dead JVM still sends is stale from now on
    List<Job> batch = state.workerLost(slot.index);
    if (slot.answered < batch.size()) {
      Job running = batch.get(slot.answered);
      String why =
          slot.name()
              + " (pid "
              + pid
              + ") exited with code "
              + exitCode
              + " while running task '"
              + running.task().name()
              + "'";
      traceTask(TraceKind.REVOKED, slot, running, "exit code " + exitCode);
      counted(failed, () -> running.completer().workerDied(why, exitCode));
      state.requeueFirst(
          batch.subList(slot.answered + 1, batch.size()).stream().filter(Job::pending).toList());
    }
    slot.batch = List.of();
    slot.answered = 0;
    if (!wanted()) {
      return stopIfDone();
    }
    restarts++;
    tracer.emit(getContext().getSelf(), "process-died", slot.name(), "exit code " + exitCode);
    log.warn(
        "process pool {}: {} (pid {}) exited with code {}; starting a new one",
        poolName,
        slot.name(),
        pid,
        exitCode);
    Duration backoff = WorkerPool.backoffAfter(++consecutiveDeaths);
    if (backoff.isZero()) {
      launch(slot);
    } else {
      timers.startSingleTimer("relaunch-" + slot.index, new Relaunch(slot.index), backoff);
    }
    return dispatch();
  }

  private void killChild(Slot slot) {
    if (slot.child != null) {
      slot.child.kill(true); // its exit follows as a message
    }
  }

  private Behavior<Command> dispatch() {
    for (WorkerPoolState.Assignment<Integer, Job> assignment : state.dispatch()) {
      Slot slot = slots.get(assignment.worker());
      slot.batch = assignment.tasks();
      slot.answered = 0;
      startNext(slot);
      send(slot, slot.batch);
    }
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.queued());
    }
    return shuttingDown ? stopIfDone() : this;
  }

  /** The slot's worker JVM starts the next task of its batch: from here it is running. */
  private void startNext(Slot slot) {
    Job next = slot.batch.get(slot.answered);
    next.completer().start();
    traceTask(TraceKind.GRANTED, slot, next, "");
  }

  /**
   * A task's span on its worker's lane: granted when the worker starts it, released when it
   * answers, revoked when the worker dies in it or the pool ends while it runs. The detail names
   * the task and its arguments when they are short (a task's arguments may be megabytes).
   */
  private void traceTask(String kind, Slot slot, Job job, String how) {
    if (tracer.enabled()) {
      String task =
          job.task().name()
              + (job.argsBytes() <= TRACED_ARGS_BYTES
                  ? " " + job.task().args()
                  : " (" + job.argsBytes() + " bytes of arguments)");
      tracer.emit(
          getContext().getSelf(), kind, slot.name(), how.isEmpty() ? task : task + ", " + how);
    }
  }

  /** The longest arguments a trace event shows in full. */
  private static final int TRACED_ARGS_BYTES = 80;

  /** Ends the span of every task a worker is running, as the pool ends without their answers. */
  private void revokeRunning(String why) {
    for (Slot slot : slots.values()) {
      if (slot.answered < slot.batch.size()) {
        traceTask(TraceKind.REVOKED, slot, slot.batch.get(slot.answered), why);
      }
    }
  }

  /**
   * Sends a batch in frames of at most {@link #FRAME_BUDGET} bytes of arguments each; the worker
   * runs them in order.
   */
  private void send(Slot slot, List<Job> batch) {
    ObjectNode frame = null;
    ArrayNode tasks = null;
    long bytes = 0;
    for (Job job : batch) {
      if (tasks == null || bytes + job.argsBytes() > FRAME_BUDGET) {
        if (frame != null) {
          slot.link.send(frame);
        }
        frame = Wire.JSON.createObjectNode();
        tasks = frame.putArray("tasks");
        bytes = 0;
      }
      bytes += job.argsBytes();
      tasks
          .addObject()
          .put("id", job.id())
          .put("name", job.task().name())
          .set("args", job.task().args());
    }
    if (frame != null) {
      slot.link.send(frame);
    }
  }

  private Behavior<Command> onShutdown(Shutdown shutdown) {
    shuttingDown = true;
    shutdownSeen = true;
    admission.close();
    if (shutdown.cancelPending()) {
      state.drainQueue().forEach(job -> job.completer().cancelByPool());
      // As in Python, every task not started is cancelled: also those sent to a worker JVM that has
      // not reached them (it may still run them; their answers are dropped).
      state.inFlight().stream().filter(Job::pending).forEach(job -> job.completer().cancelByPool());
    }
    return stopIfDone();
  }

  private Behavior<Command> onTerminate() {
    shuttingDown = true;
    admission.close();
    state.drainQueue().forEach(job -> job.completer().cancelByPool());
    revokeRunning("the pool was terminated");
    state.inFlight().forEach(job -> job.completer().cancelRunningByPool());
    tracer.emit(getContext().getSelf(), "terminated", "every worker process killed");
    return Behaviors.stopped(); // PostStop kills every worker JVM
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    List<Long> pids = new ArrayList<>();
    int connected = 0;
    for (Slot slot : slots.values()) {
      if (slot.link != null && slot.exitCode == null) {
        connected++;
        pids.add(slot.link.pid());
      }
    }
    get.replyTo()
        .tell(
            new Status(
                connected,
                state.busyWorkers(),
                state.queued(),
                completed.get(),
                failed.get(),
                restarts,
                shuttingDown,
                List.copyOf(pids)));
    return this;
  }

  /**
   * Stops once nothing is left to run and no submit admitted before the shutdown is still on its
   * way.
   */
  private Behavior<Command> stopIfDone() {
    return state.quiescent() && admission.allReturned() ? Behaviors.stopped() : this;
  }

  /**
   * Closes the connections (a worker exits when its connection ends) and makes sure every JVM ends:
   * those that do not exit within {@link ChildJvm#DESTROY_GRACE}, and those still starting or never
   * connected, are killed. Tasks left fail or are abandoned.
   */
  private Behavior<Command> onPostStop() {
    stopped = true;
    admission.close();
    try {
      server.close();
    } catch (IOException ignored) {
      // closed either way
    }
    revokeRunning("the pool stopped");
    state
        .inFlight()
        .forEach(
            job ->
                job.completer()
                    .workerDied("process pool '" + poolName + "' stopped while it ran", -1));
    state
        .drainQueue()
        .forEach(
            job ->
                job.completer()
                    .abandon("process pool '" + poolName + "' stopped before running it"));
    links.forEach(WorkerLink::close);
    for (ChildJvm child : children) {
      child
          .onExit()
          .orTimeout(ChildJvm.DESTROY_GRACE.toSeconds(), TimeUnit.SECONDS)
          .exceptionally(
              stillRunning -> {
                child.kill(true);
                return null;
              });
    }
    return this;
  }

  /**
   * Accepts the worker JVMs' connections; each must say the pool's token, its slot and its
   * generation first.
   */
  private void startAcceptor() {
    ActorRef<Command> self = getContext().getSelf();
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  socket.setTcpNoDelay(true);
                  socket.setSoTimeout(10_000); // for the hello only
                  DataInputStream in = WorkerLink.input(socket);
                  JsonNode hello = Wire.read(in);
                  socket.setSoTimeout(0);
                  if (hello == null
                      || !token.equals(hello.path("token").asText())
                      || !hello.has("slot")
                      || !hello.has("generation")) {
                    socket.close(); // not one of ours
                    continue;
                  }
                  WorkerLink link = new WorkerLink(socket, hello.path("pid").asLong());
                  links.add(link);
                  if (stopped) {
                    link.closeNow();
                    continue;
                  }
                  self.tell(
                      new Connected(
                          hello.get("slot").asInt(), hello.get("generation").asInt(), link, in));
                } catch (IOException e) {
                  // the server closed (the pool stopped), or one connection failed: the loop
                  // decides
                }
              }
            },
            "actorkit-" + poolName + "-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }
}
