package dev.actorkit.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for actors that other JVMs of the cluster can find: a pipe end, a shared map or list, a
 * bounded buffer, any actor whose protocol is a {@link KitMessage} type. One Akka receptionist
 * {@link ServiceKey} per name; the protocol class is part of the key, so a lookup with the wrong
 * protocol does not find the actor.
 *
 * <pre>{@code
 * // JVM 1
 * SharedMapClient dict = SharedMapClient.create(kit, "scores");
 * ClusterNames.register(kit, "scores", SharedMap.Command.class, dict.ref());
 * // JVM 2
 * SharedMapClient dict = SharedMapClient.of(
 *     ClusterNames.lookup(kit, "scores", SharedMap.Command.class, Duration.ofSeconds(10)), kit.system());
 * }</pre>
 *
 * <p>The registry is generic: any pattern whose client can be built from an {@code ActorRef} and an
 * {@code ActorSystem} plugs in the same way. Registrations spread by gossip, so a lookup in another
 * JVM waits (real time, bounded) until the name is visible. A registered actor that stops, or whose
 * JVM leaves the cluster, disappears from the registry. If several actors are registered under one
 * name, lookup returns one of them (the registry does not choose a leader).
 */
public final class ClusterNames {

  private static final AtomicLong ids = new AtomicLong();

  private ClusterNames() {}

  /** The receptionist key for {@code name} and {@code protocol}. */
  public static <T extends KitMessage> ServiceKey<T> key(String name, Class<T> protocol) {
    if (name == null || name.isBlank()) {
      throw new RejectedException("ClusterNames", "a name must not be blank");
    }
    return ServiceKey.create(protocol, "actorkit:" + name);
  }

  /**
   * Registers {@code ref} under {@code name} and waits (real time, the kit's kit-timeout) until the
   * local receptionist has it.
   */
  public static <T extends KitMessage> void register(
      ActorKit kit, String name, Class<T> protocol, ActorRef<T> ref) {
    ServiceKey<T> key = key(name, protocol);
    ActorSystem<?> system = kit.system();
    Ask.await(
        Ask.<Receptionist.Command, Receptionist.Registered>ask(
            system.receptionist(),
            replyTo -> Receptionist.register(key, ref, replyTo),
            kit.settings().kitTimeout(),
            system.scheduler()),
        kit.settings().kitTimeout(),
        "registering " + name);
  }

  /** Blocking {@link #lookupAsync}. */
  public static <T extends KitMessage> ActorRef<T> lookup(
      ActorKit kit, String name, Class<T> protocol, Duration timeout) {
    return lookup(kit.system(), name, protocol, timeout);
  }

  /** Blocking {@link #lookupAsync}. */
  public static <T extends KitMessage> ActorRef<T> lookup(
      ActorSystem<?> system, String name, Class<T> protocol, Duration timeout) {
    return Ask.await(
        lookupAsync(system, name, protocol, timeout),
        timeout.plus(Duration.ofSeconds(1)),
        "the name " + name);
  }

  /**
   * Completes with an actor registered under {@code name} for {@code protocol} anywhere in the
   * cluster, as soon as one is visible here; fails with {@link TimedOutException} if none is within
   * {@code timeout} (real time).
   */
  public static <T extends KitMessage> CompletionStage<ActorRef<T>> lookupAsync(
      ActorSystem<?> system, String name, Class<T> protocol, Duration timeout) {
    ServiceKey<T> key = key(name, protocol);
    CompletableFuture<ActorRef<T>> found = new CompletableFuture<>();
    Behavior<Object> finder =
        Behaviors.setup(
            context -> {
              context
                  .getSystem()
                  .receptionist()
                  .tell(Receptionist.subscribe(key, context.getSelf().narrow()));
              return Behaviors.withTimers(
                  timers -> {
                    timers.startSingleTimer(GiveUp.INSTANCE, timeout);
                    return Behaviors.receive(Object.class)
                        .onMessage(
                            Receptionist.Listing.class,
                            listing -> {
                              Set<ActorRef<T>> refs = listing.getServiceInstances(key);
                              if (refs.isEmpty()) {
                                return Behaviors.same();
                              }
                              found.complete(refs.iterator().next());
                              return Behaviors.stopped();
                            })
                        .onMessageEquals(
                            GiveUp.INSTANCE,
                            () -> {
                              found.completeExceptionally(
                                  new TimedOutException(
                                      "the name '" + name + "' to be registered", timeout));
                              return Behaviors.stopped();
                            })
                        .build();
                  });
            });
    system.systemActorOf(finder, "actorkit-lookup-" + ids.incrementAndGet(), Props.empty());
    return found;
  }

  private enum GiveUp {
    INSTANCE
  }
}
