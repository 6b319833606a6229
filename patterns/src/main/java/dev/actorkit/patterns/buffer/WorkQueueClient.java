package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link WorkQueue} for plain Java: spawn the queue, add workers, submit jobs. No knowledge of
 * reliable delivery needed.
 *
 * <pre>{@code
 * WorkQueueClient<String> jobs = WorkQueueClient.create(kit, "thumbnails", WorkQueue.Settings.of(String.class, 10));
 * jobs.addWorker("worker-1", path -> CompletableFuture.runAsync(() -> resize(path), executor));
 * jobs.submit("cat.jpg", Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Submits are FIFO and wait (up to their timeout, story time) while {@code bufferSize} jobs are
 * already waiting for a worker; a timeout throws {@link dev.actorkit.core.errors.TimedOutException}
 * and the job was not submitted. Workers run under the kit's {@code pools} branch, which restarts a
 * crashed worker with backoff; the job it was running is delivered again.
 */
public final class WorkQueueClient<T> {

  private final ActorKit kit;
  private final String name;
  private final ActorRef<WorkQueue.Command<T>> queue;
  private final Callers callers;

  private WorkQueueClient(
      ActorKit kit, String name, ActorRef<WorkQueue.Command<T>> queue, ActorSystem<?> system) {
    this.kit = kit;
    this.name = name;
    this.queue = Objects.requireNonNull(queue, "queue");
    this.callers = Callers.get(system);
  }

  /** Spawns the queue named {@code name} under the kit's primitives branch, as a daemon. */
  public static <T> WorkQueueClient<T> create(
      ActorKit kit, String name, WorkQueue.Settings<T> settings) {
    Objects.requireNonNull(settings, "settings");
    ActorRef<WorkQueue.Command<T>> queue =
        kit.spawn(
            Branch.PRIMITIVES,
            "work-queue-" + name,
            WorkQueue.create(name, settings),
            SpawnOptions.daemon());
    return new WorkQueueClient<>(kit, name, queue, kit.system());
  }

  /**
   * A client that submits to a queue that already runs (in this JVM or another). It cannot {@link
   * #addWorker}: workers are added where the queue was created, or spawned anywhere in the cluster
   * as {@link WorkQueue#worker} behaviours under the queue's name.
   */
  public static <T> WorkQueueClient<T> of(
      ActorRef<WorkQueue.Command<T>> queue, ActorSystem<?> system) {
    return new WorkQueueClient<>(null, Callers.nameOf(queue), queue, system);
  }

  /** The queue actor. */
  public ActorRef<WorkQueue.Command<T>> ref() {
    return queue;
  }

  /**
   * Spawns a worker running {@code handler} under the kit's pools branch (restarted with backoff on
   * a crash), as a daemon on the blocking dispatcher: the handler is user code, so it never runs on
   * a coordination thread.
   */
  public ActorRef<WorkQueue.Worker.Command> addWorker(
      String workerName, WorkQueue.Handler<T> handler) {
    Objects.requireNonNull(handler, "handler");
    if (kit == null) {
      throw new IllegalStateException(
          "a client made with WorkQueueClient.of cannot add workers: add them through the client that created "
              + name
              + ", or spawn WorkQueue.worker(queueName, handler) on any node");
    }
    return kit.spawn(
        Branch.POOLS,
        name + "-" + workerName,
        WorkQueue.worker(name, handler),
        SpawnOptions.daemon().on(KitDispatcher.BLOCKING));
  }

  /**
   * Submits {@code job}, waiting up to {@code timeout} (story time) for room. A submitted job
   * cannot be taken back, so a caller that walks away withdraws the submit, as a buffer's put is
   * withdrawn (see {@link Callers#through(ActorRef, Duration, String, java.util.function.Function,
   * Callers.Holding, Callers.Withdrawal)}).
   */
  public CompletionStage<WorkQueue.Submitted> submitAsync(T job, Duration timeout) {
    return submitting(job, timeout).async();
  }

  /** Blocking {@link #submitAsync}. */
  public void submit(T job, Duration timeout) {
    submitting(job, timeout).await();
  }

  /** {@link #submit(Object, Duration)} with the kit's default timeout. */
  public void submit(T job) {
    submit(job, callers.defaultTimeout());
  }

  private Call<WorkQueue.Submitted> submitting(T job, Duration timeout) {
    return callers.through(
        queue,
        timeout,
        "submitting to " + name,
        (ActorRef<WorkQueue.Reply> standIn) -> new WorkQueue.Submit<>(job, timeout, standIn),
        (reply, standIn) -> Callers.expected(WorkQueue.Submitted.class, reply, queue),
        new Callers.Withdrawal<>(WorkQueue.Withdraw::new, WorkQueue.Withdrawn.class));
  }

  /** The queue's counts now. */
  public WorkQueue.Stats status() {
    return callers
        .ask(
            queue,
            callers.defaultTimeout(),
            "the counts of " + name,
            (ActorRef<WorkQueue.Reply> replyTo) -> new WorkQueue.GetStats<T>(replyTo),
            Callers.expect(WorkQueue.Stats.class, queue))
        .await();
  }

  /** The queue's counts now; the same as {@link #status()}. */
  public WorkQueue.Stats stats() {
    return status();
  }

  ActorSystem<?> system() {
    return callers.system();
  }
}
