package dev.actorkit.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-Akka floor under a grant: a client actor asks, an actor that only echoes answers, the
 * client tells it once more and asks again; the three messages of an acquire, its grant and the
 * release, with no lock or semaphore logic and no waiting. Run with the same number of client
 * actors as the primitive it is the floor of, on the same dispatcher.
 */
public final class EchoFloor {

  private EchoFloor() {}

  /** The request, shaped as an Acquire. */
  record Ask(ActorRef<Object> replyTo) {}

  /** The one-way message, shaped as a Release. */
  record Tell() {}

  /** The answer, shaped as a grant. */
  enum Answer {
    INSTANCE
  }

  /**
   * The actor that answers every {@link Ask} and ignores every {@link Tell}. It tests the message's
   * type with {@code instanceof}, as the primitives do, rather than through a receive builder: a
   * floor is the most the primitive could do, so it must not pay for a dispatch they do not.
   */
  public static Behavior<Object> echo() {
    return Behaviors.setup(Echo::new);
  }

  private static final class Echo extends AbstractOnMessageBehavior<Object> {
    Echo(ActorContext<Object> context) {
      super(context);
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      if (message instanceof Ask ask) {
        ask.replyTo().tell(Answer.INSTANCE);
      }
      return this;
    }
  }

  /**
   * Spawns the echo actor and {@code clients} clients of it on {@code dispatcher}: the floor of a
   * primitive with that many client actors.
   */
  public static List<ActorRef<Object>> spawn(
      ActorSystem<SpawnProtocol.Command> system, int clients, Props dispatcher) {
    ActorRef<Object> echo = BenchSystems.spawn(system, echo(), "echo", dispatcher);
    List<ActorRef<Object>> spawned = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      spawned.add(BenchSystems.spawn(system, client(echo), "floor-client-" + i, dispatcher));
    }
    return spawned;
  }

  /** A client of {@code echo}, run with {@link GrantLoop#runAll}: one operation per answer. */
  public static Behavior<Object> client(ActorRef<Object> echo) {
    return GrantLoop.create(
        echo,
        context -> new Ask(context.getSelf()),
        context -> {
          Tell tell = new Tell();
          return answer -> tell;
        },
        reply -> reply == Answer.INSTANCE);
  }
}
