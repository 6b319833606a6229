package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A plain-Java subscription to a shared map's or list's changes. The changes are handed to the
 * callback by a small listener actor in the subscriber's own JVM, one at a time, in the order the
 * server applied them. {@link #close()} unsubscribes and stops the listener; if the subscriber's
 * JVM dies, the server drops it by itself (it watches the listener).
 */
public final class Subscription implements AutoCloseable {

  private static final AtomicLong ids = new AtomicLong();

  private final ActorRef<Object> listener;
  private final Runnable unsubscribe;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Subscription(ActorRef<Object> listener, Runnable unsubscribe) {
    this.listener = listener;
    this.unsubscribe = unsubscribe;
  }

  private enum Stop {
    INSTANCE
  }

  /** Starts a listener actor that hands each {@code T} to {@code callback}; the callback must not block for long. */
  static <T> ActorRef<Object> listener(ActorSystem<?> system, Class<T> type, Consumer<? super T> callback) {
    Behavior<Object> behavior =
        Behaviors.receive(Object.class)
            .onMessage(type, change -> {
              callback.accept(change);
              return Behaviors.same();
            })
            .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
            .build();
    return system.systemActorOf(behavior, "actorkit-subscriber-" + ids.incrementAndGet(), Props.empty());
  }

  static Subscription of(ActorRef<Object> listener, Runnable unsubscribe) {
    return new Subscription(listener, unsubscribe);
  }

  /** Unsubscribes (waiting for the server's answer, bounded) and stops the listener. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        unsubscribe.run();
      } finally {
        listener.tell(Stop.INSTANCE);
      }
    }
  }
}
