package dev.actorkit.core;

import akka.actor.ActorPath;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorSignalInterceptor;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.dispatch.MessageDispatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kit knows of each actor it spawned: dispatcher, supervision, lifetime. Akka keeps none
 * of this where code outside the actor can read it, so the kit writes it down at spawn time and
 * forgets it when the actor stops; {@link ActorKit#tree()} is built from it.
 */
final class ActorDirectory implements Extension {

  record Entry(ActorRef<?> ref, String dispatcher, String supervision, Lifetime lifetime) {}

  private final Map<ActorPath, Entry> entries = new ConcurrentHashMap<>();

  /** The directory of this system; a throwaway one under {@code BehaviorTestKit}'s stub system. */
  static ActorDirectory get(ActorSystem<?> system) {
    try {
      return Id.INSTANCE.apply(system);
    } catch (UnsupportedOperationException stubSystem) {
      return new ActorDirectory();
    }
  }

  void register(ActorRef<?> ref, String dispatcher, Supervision supervision, Lifetime lifetime) {
    register(ref, dispatcher, supervision.describe(), lifetime);
  }

  void register(ActorRef<?> ref, String dispatcher, String supervision, Lifetime lifetime) {
    entries.put(ref.path(), new Entry(ref, dispatcher, supervision, lifetime));
  }

  /** Forgets the actor at {@code path} and everything below it. */
  void forgetSubtree(ActorPath path) {
    entries.keySet().removeIf(candidate -> isAtOrBelow(candidate, path));
  }

  List<Entry> entries(Lifetime lifetime) {
    return entries.values().stream().filter(entry -> entry.lifetime() == lifetime).toList();
  }

  /** Wraps {@code behavior} so that the actor running it is forgotten when it stops. */
  <T> Behavior<T> forgetOnStop(Behavior<T> behavior) {
    return Behaviors.intercept(ForgetOnStop::new, behavior);
  }

  /** The live tree below {@code root}, children sorted by name. */
  ActorNode tree(ActorPath root, String rootName) {
    Map<ActorPath, List<Entry>> byParent = new HashMap<>();
    for (Entry entry : entries.values()) {
      byParent.computeIfAbsent(entry.ref().path().parent(), parent -> new ArrayList<>()).add(entry);
    }
    Entry rootEntry = entries.get(root);
    if (rootEntry == null) {
      return new ActorNode(
          rootName, root.toStringWithoutAddress(), "?", "?", Lifetime.KIT, List.of());
    }
    return node(rootEntry, rootName, byParent);
  }

  private ActorNode node(Entry entry, String name, Map<ActorPath, List<Entry>> byParent) {
    List<ActorNode> children =
        byParent.getOrDefault(entry.ref().path(), List.of()).stream()
            .sorted(Comparator.comparing(child -> child.ref().path().name()))
            .map(child -> node(child, child.ref().path().name(), byParent))
            .toList();
    return new ActorNode(
        name,
        entry.ref().path().toStringWithoutAddress(),
        entry.dispatcher(),
        entry.supervision(),
        entry.lifetime(),
        children);
  }

  /** The id of the dispatcher an actor runs on, read from inside it. */
  static String dispatcherOf(ActorContext<?> context) {
    return context.getExecutionContext() instanceof MessageDispatcher dispatcher
        ? dispatcher.id()
        : "unknown";
  }

  private static boolean isAtOrBelow(ActorPath candidate, ActorPath ancestor) {
    String at = candidate.toString();
    String top = ancestor.toString();
    return at.equals(top) || at.startsWith(top + "/");
  }

  private final class ForgetOnStop<T> extends BehaviorSignalInterceptor<T> {
    @Override
    public Behavior<T> aroundSignal(
        TypedActorContext<T> context, Signal signal, SignalTarget<T> target) {
      if (signal instanceof PostStop) {
        entries.remove(context.asJava().getSelf().path());
      }
      return target.apply(context, signal);
    }
  }

  static final class Id extends ExtensionId<ActorDirectory> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public ActorDirectory createExtension(ActorSystem<?> system) {
      return new ActorDirectory();
    }
  }
}
