package dev.actorkit.core;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.EnumMap;
import java.util.Map;

/** The kit's user guardian: starts the three branches and hands out their references. */
final class Guardian {

  private Guardian() {}

  sealed interface Command {}

  record GetBranches(ActorRef<Branches> replyTo) implements Command {}

  record Branches(Map<Branch, ActorRef<BranchActor.Command>> refs) {
    Branches {
      refs = Map.copyOf(refs);
    }
  }

  static Behavior<Command> create() {
    return Behaviors.setup(
        context -> {
          ActorDirectory directory = ActorDirectory.get(context.getSystem());
          directory.register(
              context.getSelf(),
              ActorDirectory.dispatcherOf(context),
              "a failure stops the kit",
              Lifetime.KIT);
          Map<Branch, ActorRef<BranchActor.Command>> branches = new EnumMap<>(Branch.class);
          for (Branch branch : Branch.values()) {
            // A branch only routes spawns and counts its children; a failure there is a bug,
            // and resuming keeps the children it supervises running.
            Supervision supervision = Supervision.resume();
            ActorRef<BranchActor.Command> ref =
                context.spawn(
                    supervision.applyTo(BranchActor.create(branch)),
                    branch.actorName(),
                    branch.dispatcher().selector());
            directory.register(
                ref,
                branch.dispatcher().id(),
                "children: " + branch.supervision().describe(),
                Lifetime.KIT);
            branches.put(branch, ref);
          }
          Branches reply = new Branches(branches);
          return Behaviors.receive(Command.class)
              .onMessage(GetBranches.class, get -> replyWith(get, reply))
              .build();
        });
  }

  private static Behavior<Command> replyWith(GetBranches get, Branches branches) {
    get.replyTo().tell(branches);
    return Behaviors.same();
  }
}
