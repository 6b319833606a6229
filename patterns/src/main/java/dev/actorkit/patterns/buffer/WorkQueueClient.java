package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A {@link WorkQueue} for plain Java: spawn the queue, add workers, submit jobs. No knowledge of
 * reliable delivery needed.
 *
 * <pre>{@code
 * WorkQueueClient<String> jobs = WorkQueueClient.create(kit, "thumbnails", String.class, new WorkQueue.Settings(10));
 * jobs.addWorker("worker-1", path -> CompletableFuture.runAsync(() -> resize(path), executor));
 * jobs.submit("cat.jpg", Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Submits are FIFO and wait (up to their timeout, story time) while {@code bufferSize} jobs
 * are already waiting for a worker; a timeout throws
 * {@link dev.actorkit.core.errors.TimedOutException} and the job was not submitted. Workers run
 * under the kit's {@code pools} branch, which restarts a crashed worker with backoff; the job it
 * was running is delivered again.
 */
public final class WorkQueueClient<T> {

  private static final Duration MARGIN = Duration.ofSeconds(3);

  private final ActorKit kit;
  private final String name;
  private final ActorRef<WorkQueue.Command<T>> queue;

  private WorkQueueClient(ActorKit kit, String name, ActorRef<WorkQueue.Command<T>> queue) {
    this.kit = kit;
    this.name = name;
    this.queue = queue;
  }

  /** Spawns the queue named {@code name} under the kit's primitives branch, as a daemon. */
  public static <T> WorkQueueClient<T> create(ActorKit kit, String name, Class<T> jobClass, WorkQueue.Settings settings) {
    ActorRef<WorkQueue.Command<T>> queue =
        kit.spawn(Branch.PRIMITIVES, "work-queue-" + name, WorkQueue.create(name, jobClass, settings), SpawnOptions.daemon());
    return new WorkQueueClient<>(kit, name, queue);
  }

  /** The queue actor. */
  public ActorRef<WorkQueue.Command<T>> ref() {
    return queue;
  }

  /** Spawns a worker running {@code handler} under the kit's pools branch (restarted with backoff on a crash), as a daemon. */
  public ActorRef<WorkQueue.Worker.Command> addWorker(String workerName, WorkQueue.Handler<T> handler) {
    return kit.spawn(Branch.POOLS, name + "-" + workerName, WorkQueue.worker(name, handler), SpawnOptions.daemon());
  }

  /** Submits {@code job}, waiting up to {@code timeout} (story time) for room. */
  public CompletionStage<WorkQueue.Submitted> submitAsync(T job, Duration timeout) {
    return Ask.askFor(
        WorkQueue.Submitted.class,
        queue,
        (ActorRef<WorkQueue.Reply> replyTo) -> new WorkQueue.Submit<>(job, timeout, replyTo),
        kit.clock().toReal(timeout).plus(MARGIN),
        kit.system().scheduler());
  }

  /** Blocking {@link #submitAsync}. */
  public void submit(T job, Duration timeout) {
    Ask.await(submitAsync(job, timeout), kit.clock().toReal(timeout).plus(MARGIN), "submitting to " + name);
  }

  /** {@link #submit(Object, Duration)} with the kit's default timeout. */
  public void submit(T job) {
    submit(job, kit.settings().askTimeout());
  }

  /** The queue's counts now. */
  public WorkQueue.Stats stats() {
    Duration timeout = kit.settings().askTimeout();
    return Ask.await(
        Ask.askFor(WorkQueue.Stats.class, queue, (ActorRef<WorkQueue.Reply> replyTo) -> new WorkQueue.GetStats<T>(replyTo), kit.clock().toReal(timeout).plus(MARGIN), kit.system().scheduler()),
        kit.clock().toReal(timeout).plus(MARGIN),
        "stats of " + name);
  }

  ActorSystem<?> system() {
    return kit.system();
  }
}
