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
 * dispatcher and supervision, watches them, and takes part in the kit's close in three steps, each
 * answered once it is done: {@link Finish} (refuse spawns, tell each non-daemon that has a finish
 * message to finish, answer once every non-daemon has stopped by itself), {@link Abort} (the bound
 * passed: tell each non-daemon left its abort message, or stop it, and answer once they have
 * stopped) and {@link StopDaemons} (stop the daemons, answer once they have stopped).
 */
final class BranchActor extends AbstractBehavior<BranchActor.Command> {

  sealed interface Command {}

  /**
   * Spawn a child; a non-null {@code finishMessage} is told to it when the kit starts to close, a
   * non-null {@code abortMessage} when the close's bound passes with it still running (without one,
   * it is stopped then).
   */
  record Spawn<T>(
      String name,
      Behavior<T> behavior,
      SpawnOptions options,
      T finishMessage,
      T abortMessage,
      ActorRef<SpawnReply> replyTo)
      implements Command {}

  /**
   * Refuse spawns; tell the finishers to finish; answer {@link Done} when no non-daemon actor is
   * left.
   */
  record Finish(ActorRef<Done> replyTo) implements Command {}

  /**
   * Tell the non-daemons left their abort message (or stop them); answer {@link Done} once none is
   * left.
   */
  record Abort(ActorRef<Done> replyTo) implements Command {}

  /** Stop the daemons; answer {@link Done} once none is left. */
  record StopDaemons(ActorRef<Done> replyTo) implements Command {}

  private record ChildStopped(ActorRef<?> child) implements Command {}

  sealed interface SpawnReply {}

  record Spawned(ActorRef<?> ref) implements SpawnReply {}

  record SpawnRefused(String reason) implements SpawnReply, RejectedReply {}

  enum Done {
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
  private final Map<ActorRef<?>, Runnable> aborters = new HashMap<>();
  private final List<ActorRef<Done>> finishWaiters = new ArrayList<>();
  private final List<ActorRef<Done>> daemonWaiters = new ArrayList<>();
  private boolean finishing;
  private boolean daemonsStopping;

  private BranchActor(ActorContext<Command> context, Branch branch) {
    super(context);
    this.branch = branch;
    this.directory = ActorDirectory.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Spawn.class, this::onSpawn)
        .onMessage(Finish.class, this::onFinish)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(StopDaemons.class, this::onStopDaemons)
        .onMessage(ChildStopped.class, this::onChildStopped)
        .build();
  }

  private Behavior<Command> onSpawn(Spawn<?> spawn) {
    spawn.replyTo().tell(spawnChild(spawn));
    return this;
  }

  private <T> SpawnReply spawnChild(Spawn<T> spawn) {
    if (finishing) {
      return new SpawnRefused("the kit is closing; " + branch.actorName() + " takes no new actors");
    }
    if (spawn.name() == null || spawn.name().isBlank()) {
      return new SpawnRefused("an actor needs a non-blank name");
    }
    if (getContext().getChild(spawn.name()).isPresent()) {
      return new SpawnRefused(
          "an actor named '" + spawn.name() + "' already runs under " + branch.actorName());
    }
    KitDispatcher dispatcher = spawn.options().dispatcherIn(branch);
    Supervision supervision = spawn.options().supervisionIn(branch);
    ActorRef<T> child;
    try {
      child =
          getContext()
              .spawn(
                  directory.forgetOnStop(supervision.applyTo(spawn.behavior())),
                  spawn.name(),
                  dispatcher.selector());
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
    if (!daemon && spawn.abortMessage() != null) {
      T abort = spawn.abortMessage();
      aborters.put(child, () -> child.tell(abort));
    }
    directory.register(
        child, dispatcher.id(), supervision, daemon ? Lifetime.DAEMON : Lifetime.NON_DAEMON);
    return new Spawned(child);
  }

  private Behavior<Command> onFinish(Finish finish) {
    if (!finishing) {
      finishing = true;
      finishers.values().forEach(Runnable::run);
    }
    finishWaiters.add(finish.replyTo());
    answerWaiters();
    return this;
  }

  private Behavior<Command> onAbort(Abort abort) {
    finishing = true;
    for (ActorRef<?> child : List.copyOf(nonDaemons)) {
      Runnable aborter = aborters.get(child);
      if (aborter != null) {
        aborter.run();
      } else {
        getContext().stop(child);
      }
    }
    finishWaiters.add(abort.replyTo());
    answerWaiters();
    return this;
  }

  private Behavior<Command> onStopDaemons(StopDaemons stop) {
    if (!daemonsStopping) {
      daemonsStopping = true;
      daemons.forEach(getContext()::stop);
    }
    daemonWaiters.add(stop.replyTo());
    answerWaiters();
    return this;
  }

  private Behavior<Command> onChildStopped(ChildStopped stopped) {
    daemons.remove(stopped.child());
    nonDaemons.remove(stopped.child());
    finishers.remove(stopped.child());
    aborters.remove(stopped.child());
    directory.forgetSubtree(stopped.child().path());
    answerWaiters();
    return this;
  }

  private void answerWaiters() {
    if (nonDaemons.isEmpty()) {
      finishWaiters.forEach(waiter -> waiter.tell(Done.INSTANCE));
      finishWaiters.clear();
    }
    if (daemonsStopping && daemons.isEmpty()) {
      daemonWaiters.forEach(waiter -> waiter.tell(Done.INSTANCE));
      daemonWaiters.clear();
    }
  }
}
