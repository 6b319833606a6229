package dev.actorkit.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The least any lock actor could do, as a second floor beside {@link EchoFloor}: a count of free
 * permits and a queue of the clients waiting, granting the head of the queue when a permit comes
 * back. No owners, tokens, timeouts, watches, traces or checks: a client that releases what it does
 * not hold is believed.
 *
 * <p>{@link EchoFloor} answers every request at once, so all its clients are busy together and the
 * echo actor always finds a request waiting. A lock cannot do that: with one permit and four
 * clients, three wait while the holder makes its round trip, and the lock actor and the holder take
 * turns. This floor measures that turn-taking on its own, so a primitive's own work is its distance
 * from this floor, and the shape of locking its distance from the echo.
 */
public final class HandoffFloor {

  private HandoffFloor() {}

  /** The request, shaped as an Acquire. */
  record Ask(ActorRef<Object> replyTo) {}

  /** Gives a permit back, shaped as a Release with nobody to answer. */
  enum GiveBack {
    INSTANCE
  }

  /** The grant. */
  enum Granted {
    INSTANCE
  }

  /** An actor holding {@code permits} permits for whoever asks, first come first served. */
  public static Behavior<Object> lock(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    return Behaviors.setup(context -> new Lock(context, permits));
  }

  private static final class Lock extends AbstractOnMessageBehavior<Object> {
    private final ArrayDeque<ActorRef<Object>> waiting = new ArrayDeque<>();
    private int free;

    Lock(ActorContext<Object> context, int permits) {
      super(context);
      this.free = permits;
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      if (message instanceof Ask ask) {
        if (free > 0) {
          free--;
          ask.replyTo().tell(Granted.INSTANCE);
        } else {
          waiting.addLast(ask.replyTo());
        }
      } else if (message == GiveBack.INSTANCE) {
        ActorRef<Object> next = waiting.pollFirst();
        if (next == null) {
          free++;
        } else {
          next.tell(Granted.INSTANCE);
        }
      }
      return this;
    }
  }

  /**
   * Spawns a lock of {@code permits} and {@code clients} clients of it on {@code dispatcher}, run
   * with {@link GrantLoop#runAll}.
   */
  public static List<ActorRef<Object>> spawn(
      ActorSystem<SpawnProtocol.Command> system, int permits, int clients, Props dispatcher) {
    ActorRef<Object> lock = BenchSystems.spawn(system, lock(permits), "handoff-lock", dispatcher);
    List<ActorRef<Object>> spawned = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      spawned.add(
          BenchSystems.spawn(
              system,
              GrantLoop.create(
                  lock,
                  context -> new Ask(context.getSelf()),
                  context -> granted -> GiveBack.INSTANCE,
                  reply -> reply == Granted.INSTANCE),
              "handoff-client-" + i,
              dispatcher));
    }
    return spawned;
  }
}
