package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.SpawnOptions;
import java.util.function.Consumer;

/**
 * A {@link BroadcastTopic} for plain Java: {@code publish} (fire and forget, at most once,
 * in order from this caller), {@code subscribe}/{@code unsubscribe} an actor or subscribe a
 * plain {@link Consumer} ({@link #subscribe(ActorKit, String, Consumer)}), and the count of
 * live subscribers. Thread-safe; the guarantees are the topic's.
 *
 * <p>Messages published from one thread through one client reach each subscriber in order:
 * they are tells from that thread to the topic actor.
 */
public final class BroadcastTopicClient<T> {

  private final ActorRef<BroadcastTopic.Command<T>> topic;
  private final ClientSupport support;

  private BroadcastTopicClient(ActorRef<BroadcastTopic.Command<T>> topic, ActorSystem<?> system) {
    this.topic = topic;
    this.support = new ClientSupport(topic, system);
  }

  /** Spawns a topic named {@code name} for messages of {@code messageClass} under the kit's primitives (a daemon). */
  public static <T> BroadcastTopicClient<T> create(ActorKit kit, String name, Class<T> messageClass) {
    return new BroadcastTopicClient<>(
        ClientSupport.spawn(kit, name, BroadcastTopic.create(BroadcastTopic.Settings.of(name, messageClass))), kit.system());
  }

  /** A client for a topic that already runs in {@code system}. */
  public static <T> BroadcastTopicClient<T> of(ActorRef<BroadcastTopic.Command<T>> topic, ActorSystem<?> system) {
    return new BroadcastTopicClient<>(topic, system);
  }

  public ActorRef<BroadcastTopic.Command<T>> ref() {
    return topic;
  }

  /** Publishes {@code message} to every live subscriber; returns at once. */
  public void publish(T message) {
    topic.tell(new BroadcastTopic.Publish<>(message));
  }

  /** Subscribes {@code subscriber}: it receives every message published after this returns. Returns the subscriber count. */
  public int subscribe(ActorRef<T> subscriber) {
    return support.await(
        support.askFor(
                BroadcastTopic.Subscribed.class,
                topic,
                (ActorRef<BroadcastTopic.Reply> replyTo) -> new BroadcastTopic.Subscribe<>(subscriber, replyTo))
            .thenApply(BroadcastTopic.Subscribed::subscribers),
        "subscribing to");
  }

  /** Unsubscribes {@code subscriber}; returns the subscriber count. */
  public int unsubscribe(ActorRef<T> subscriber) {
    return support.await(
        support.askFor(
                BroadcastTopic.Unsubscribed.class,
                topic,
                (ActorRef<BroadcastTopic.Reply> replyTo) -> new BroadcastTopic.Unsubscribe<>(subscriber, replyTo))
            .thenApply(BroadcastTopic.Unsubscribed::subscribers),
        "unsubscribing from");
  }

  /**
   * Subscribes a plain-Java listener: a daemon actor named {@code name} under the kit's
   * primitives branch, on the blocking dispatcher (the listener is user code and may block),
   * calls {@code onMessage} for each message, one at a time, in the order the topic delivers
   * them. A listener that throws is logged and keeps listening (the branch resumes its
   * children). Close the returned handle to unsubscribe and stop the actor.
   *
   * @throws dev.actorkit.core.errors.RejectedException if {@code name} is taken
   */
  public Listener<T> subscribe(ActorKit kit, String name, Consumer<? super T> onMessage) {
    if (onMessage == null) {
      throw new IllegalArgumentException("a listener needs something to call");
    }
    ActorRef<Object> actor =
        kit.spawn(Branch.PRIMITIVES, name, listening(onMessage), SpawnOptions.daemon().on(KitDispatcher.BLOCKING));
    ActorRef<T> subscriber = actor.narrow();
    try {
      subscribe(subscriber);
    } catch (RuntimeException e) {
      actor.tell(StopListening.INSTANCE);
      throw e;
    }
    return new Listener<>(this, actor, subscriber);
  }

  /** A plain-Java subscription; {@link #close} unsubscribes and stops its actor. */
  public static final class Listener<T> implements AutoCloseable {
    private final BroadcastTopicClient<T> topic;
    private final ActorRef<Object> actor;
    private final ActorRef<T> subscriber;

    private Listener(BroadcastTopicClient<T> topic, ActorRef<Object> actor, ActorRef<T> subscriber) {
      this.topic = topic;
      this.actor = actor;
      this.subscriber = subscriber;
    }

    /** The subscribed actor. */
    public ActorRef<T> ref() {
      return subscriber;
    }

    /** Unsubscribes (no message published after this returns reaches the listener) and stops the actor. */
    @Override
    public void close() {
      try {
        topic.unsubscribe(subscriber);
      } finally {
        actor.tell(StopListening.INSTANCE);
      }
    }
  }

  private enum StopListening {
    INSTANCE
  }

  @SuppressWarnings("unchecked") // the topic delivers only its messages of type T to a subscriber
  private static <T> Behavior<Object> listening(Consumer<? super T> onMessage) {
    return Behaviors.receive(Object.class)
        .onMessageEquals(StopListening.INSTANCE, Behaviors::stopped)
        .onAnyMessage(
            message -> {
              onMessage.accept((T) message);
              return Behaviors.same();
            })
        .build();
  }

  /** How many live subscribers the topic has. */
  public int subscribers() {
    return support.await(
        support.askFor(
                BroadcastTopic.Subscribers.class,
                topic,
                (ActorRef<BroadcastTopic.Reply> replyTo) -> new BroadcastTopic.GetSubscribers<T>(replyTo))
            .thenApply(BroadcastTopic.Subscribers::count),
        "asking");
  }
}
