package dev.actorkit.patterns.pipe;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's standing as a user of pipe ends in other JVMs ({@link Pipe.UsedFrom}): one quiet actor
 * that those ends watch, so that the death of this JVM closes them, and a coordinated shutdown task
 * that tells them {@link Pipe.NoLongerUsedFrom} first when the JVM leaves in an orderly way.
 * Thread-safe.
 */
final class PipeUsers implements Extension {

  private final ActorRef<Object> user;
  private final Set<ActorRef<Pipe.Command>> ends = ConcurrentHashMap.newKeySet();

  private PipeUsers(ActorSystem<?> system) {
    this.user = system.systemActorOf(Behaviors.ignore(), "actorkit-pipe-user", Props.empty());
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "actorkit-pipe-users-leave",
            () -> {
              ends.forEach(end -> end.tell(new Pipe.NoLongerUsedFrom(user)));
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  static PipeUsers get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Tells {@code end}, if it lives in another JVM, that this JVM uses it (once per end). */
  void using(ActorRef<Pipe.Command> end) {
    if (end.path().address().hasGlobalScope() && ends.add(end)) {
      end.tell(new Pipe.UsedFrom(user));
    }
  }

  static final class Id extends ExtensionId<PipeUsers> {
    static final Id INSTANCE = new Id();

    @Override
    public PipeUsers createExtension(ActorSystem<?> system) {
      return new PipeUsers(system);
    }
  }
}
