package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;

/**
 * One worker of a pool. It runs on the pool's blocking or compute dispatcher, so running user
 * code in its message handler is exactly what its thread is for. It runs its batch in order,
 * tells the coordinator when the batch is done, and dies (stops) when a task raises an
 * {@link Error}; the coordinator then replaces it.
 */
final class Worker extends AbstractBehavior<Worker.Command> {

  sealed interface Command {}

  record Run(List<TaskFuture<?>> batch) implements Command {}

  static Behavior<Command> create(ActorRef<WorkerPool.Command> pool) {
    return Behaviors.setup(context -> new Worker(context, pool));
  }

  private final ActorRef<WorkerPool.Command> pool;

  private Worker(ActorContext<Command> context, ActorRef<WorkerPool.Command> pool) {
    super(context);
    this.pool = pool;
    pool.tell(new WorkerPool.WorkerReady(context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Run.class, this::onRun).build();
  }

  private Behavior<Command> onRun(Run run) {
    for (TaskFuture<?> task : run.batch()) {
      try {
        task.run();
      } catch (Error fatal) {
        getContext().getLog().warn("A task killed worker {}: {}", getContext().getSelf().path().name(), fatal.toString());
        return Behaviors.stopped();
      }
    }
    pool.tell(new WorkerPool.BatchDone(getContext().getSelf()));
    return this;
  }
}
