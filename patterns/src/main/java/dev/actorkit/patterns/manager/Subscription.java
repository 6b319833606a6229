package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.call.Callers;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain-Java subscription to a shared map's or list's changes. The changes are handed to the
 * callback by a small listener actor in the subscriber's own JVM, on the kit's blocking dispatcher
 * (the callback is user code and may block), one at a time, in the order the server applied them; a
 * callback that throws is logged and the listener goes on. {@link #close()} unsubscribes and stops
 * the listener; if the subscriber's JVM dies, the server drops it by itself (it watches the
 * listener).
 */
public final class Subscription implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Subscription.class);
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

  /**
   * Subscribes a listener for changes of type {@code type} to {@code server}: {@code request}
   * builds the subscribe or unsubscribe message (true to subscribe) from the listener and the reply
   * address; {@code subscribed} is the type of the server's answer.
   */
  static <T, C, R> Subscription open(
      Callers callers,
      ActorRef<C> server,
      Class<T> type,
      Consumer<? super T> callback,
      BiFunction<ActorRef<T>, Boolean, Function<ActorRef<R>, C>> request,
      Class<? extends R> subscribed) {
    Objects.requireNonNull(callback, "callback");
    String name = Callers.nameOf(server);
    callers.checkOpen("subscribing to " + name);
    ActorRef<Object> listener =
        callers
            .system()
            .systemActorOf(
                listening(type, callback, name),
                "actorkit-subscriber-" + ids.incrementAndGet(),
                KitDispatcher.BLOCKING.selector());
    ActorRef<T> subscriber = listener.narrow();
    try {
      callers
          .ask(
              server,
              callers.defaultTimeout(),
              "subscribing to " + name,
              request.apply(subscriber, true),
              Callers.confirmedBy(subscribed, server))
          .await();
    } catch (RuntimeException e) {
      listener.tell(Stop.INSTANCE);
      throw e;
    }
    return new Subscription(
        listener,
        () ->
            callers
                .ask(
                    server,
                    callers.defaultTimeout(),
                    "unsubscribing from " + name,
                    request.apply(subscriber, false),
                    Callers.confirmedBy(subscribed, server))
                .await());
  }

  private static <T> Behavior<Object> listening(
      Class<T> type, Consumer<? super T> callback, String server) {
    return Behaviors.receive(Object.class)
        .onMessage(
            type,
            change -> {
              try {
                callback.accept(change);
              } catch (RuntimeException e) {
                log.warn(
                    "A subscriber's callback for changes of {} raised {}; it keeps listening",
                    server,
                    e.toString());
              }
              return Behaviors.same();
            })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
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
