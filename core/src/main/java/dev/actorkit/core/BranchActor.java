package dev.actorkit.core;

import akka.actor.InvalidActorNameException;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One of the guardian's three branches: spawns named actors under itself with the branch's
 * dispatcher and supervision, watches them, and on {@link Drain} stops its daemons, tells each
 * non-daemon that has a finish message to finish, and answers once its non-daemon actors have
 * stopped by themselves.
 */
final class BranchActor extends AbstractBehavior<BranchActor.Command> {

  sealed interface Command {}

  /** Spawn a child; a non-null {@code finishMessage} is told to it when the kit starts to close. */
  record Spawn<T>(String name, Behavior<T> behavior, SpawnOptions options, T finishMessage, ActorRef<SpawnReply> replyTo)
      implements Command {}

  /** Stop the daemons; answer {@link Drained} when no non-daemon actor is left. Refuse spawns from now on. */
  record Drain(ActorRef<Drained> replyTo) implements Command {}

  private record ChildStopped(ActorRef<?> child) implements Command {}

  sealed interface SpawnReply {}

  record Spawned(ActorRef<?> ref) implements SpawnReply {}

  record SpawnRefused(String reason) implements SpawnReply, RejectedReply {}

  enum Drained {
    INSTANCE
  }

  static Behavior<Command> create(Branch branch) {
    return Behaviors.setup(context -> new BranchActor(context, branch));
  }

  private final Branch branch;
  private final ActorDirectory directory;
  private final Set<ActorRef<?>> daemons = new HashSet<>();
  private final Set<ActorRef<?>> nonDaemons = new HashSet<>();
  private final Map<ActorRef<?>, Runnable> finishers = new HashMap<>();
  private final List<ActorRef<Drained>> drainWaiters = new ArrayList<>();
  private boolean draining;

  private BranchActor(ActorContext<Command> context, Branch branch) {
    super(context);
    this.branch = branch;
    this.directory = ActorDirectory.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Spawn.class, this::onSpawn)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(ChildStopped.class, this::onChildStopped)
        .build();
  }

  private Behavior<Command> onSpawn(Spawn<?> spawn) {
    spawn.replyTo().tell(spawnChild(spawn));
    return this;
  }

  private <T> SpawnReply spawnChild(Spawn<T> spawn) {
    if (draining) {
      return new SpawnRefused("the kit is closing; " + branch.actorName() + " takes no new actors");
    }
    if (spawn.name() == null || spawn.name().isBlank()) {
      return new SpawnRefused("an actor needs a non-blank name");
    }
    if (getContext().getChild(spawn.name()).isPresent()) {
      return new SpawnRefused("an actor named '" + spawn.name() + "' already runs under " + branch.actorName());
    }
    KitDispatcher dispatcher = spawn.options().dispatcherIn(branch);
    Supervision supervision = spawn.options().supervisionIn(branch);
    ActorRef<T> child;
    try {
      child =
          getContext()
              .spawn(
                  directory.forgetOnStop(supervision.applyTo(spawn.behavior())), spawn.name(), dispatcher.selector());
    } catch (InvalidActorNameException e) {
      return new SpawnRefused(e.getMessage());
    }
    getContext().watchWith(child, new ChildStopped(child));
    boolean daemon = spawn.options().isDaemon();
    (daemon ? daemons : nonDaemons).add(child);
    if (!daemon && spawn.finishMessage() != null) {
      T finish = spawn.finishMessage();
      finishers.put(child, () -> child.tell(finish));
    }
    directory.register(child, dispatcher.id(), supervision, daemon ? Lifetime.DAEMON : Lifetime.NON_DAEMON);
    return new Spawned(child);
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (!draining) {
      draining = true;
      daemons.forEach(getContext()::stop);
      finishers.values().forEach(Runnable::run);
    }
    drainWaiters.add(drain.replyTo());
    answerDrainWaitersIfDone();
    return this;
  }

  private Behavior<Command> onChildStopped(ChildStopped stopped) {
    daemons.remove(stopped.child());
    nonDaemons.remove(stopped.child());
    finishers.remove(stopped.child());
    directory.forgetSubtree(stopped.child().path());
    answerDrainWaitersIfDone();
    return this;
  }

  private void answerDrainWaitersIfDone() {
    if (draining && nonDaemons.isEmpty()) {
      drainWaiters.forEach(waiter -> waiter.tell(Drained.INSTANCE));
      drainWaiters.clear();
    }
  }
}
