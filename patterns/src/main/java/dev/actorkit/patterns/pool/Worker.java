package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;

/**
 * One worker of a pool. It runs on the pool's blocking or compute dispatcher, so running user code
 * in its message handler is exactly what its thread is for. It runs its batch in order, tells the
 * coordinator when the batch is done, and dies (stops) when a task raises an {@link Error}; the
 * coordinator then replaces it. With a task limit it retires (stops, saying so) once it has run
 * that many, and the coordinator replaces it at once.
 */
final class Worker extends AbstractBehavior<Worker.Command> {

  sealed interface Command {}

  record Run(List<TaskFuture<?>> batch) implements Command {}

  /**
   * A worker of {@code pool}: it runs {@code initializer} (if any) first, and stops after {@code
   * maxTasks} tasks (0: never), handing back the rest of its batch.
   */
  static Behavior<Command> create(
      ActorRef<WorkerPool.Command> pool, int maxTasks, Runnable initializer) {
    return Behaviors.setup(
        context -> {
          if (initializer != null) {
            try {
              initializer.run();
            } catch (RuntimeException failed) {
              // Python's pool replaces a worker whose initializer raised; here the coordinator
              // does, with backoff.
              context
                  .getLog()
                  .warn(
                      "The initializer of worker {} failed: {}",
                      context.getSelf().path().name(),
                      failed.toString());
              return Behaviors.stopped();
            }
          }
          return new Worker(context, pool, maxTasks);
        });
  }

  private final ActorRef<WorkerPool.Command> pool;
  private final int maxTasks;
  private int tasksRun;

  private Worker(ActorContext<Command> context, ActorRef<WorkerPool.Command> pool, int maxTasks) {
    super(context);
    this.pool = pool;
    this.maxTasks = maxTasks;
    pool.tell(new WorkerPool.WorkerReady(context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Run.class, this::onRun).build();
  }

  private Behavior<Command> onRun(Run run) {
    for (TaskFuture<?> task : run.batch()) {
      if (maxTasks > 0 && tasksRun == maxTasks) {
        // Its share is done: it stops, and the coordinator puts the tasks it has not started first
        // in line.
        pool.tell(new WorkerPool.Retiring(getContext().getSelf()));
        return Behaviors.stopped();
      }
      try {
        if (task.isPending()) {
          tasksRun++;
        }
        task.run();
      } catch (Error fatal) {
        getContext()
            .getLog()
            .warn(
                "A task killed worker {}: {}",
                getContext().getSelf().path().name(),
                fatal.toString());
        return Behaviors.stopped();
      }
    }
    if (maxTasks > 0 && tasksRun >= maxTasks) {
      pool.tell(new WorkerPool.Retiring(getContext().getSelf()));
      return Behaviors.stopped();
    }
    pool.tell(new WorkerPool.BatchDone(getContext().getSelf()));
    return this;
  }
}
