package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Callers;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link BroadcastTopic} for plain Java: {@code publish} (fire and forget, at most once, in order
 * from this caller), {@code subscribe}/{@code unsubscribe} an actor or subscribe a plain {@link
 * Consumer} ({@link #subscribe(ActorKit, String, Consumer)}), and the count of live subscribers.
 * Thread-safe; the guarantees are the topic's.
 *
 * <p>Messages published from one thread through one client reach each subscriber in order: they are
 * tells from that thread to the topic actor.
 */
public final class BroadcastTopicClient<T> {

  private final ActorRef<BroadcastTopic.Command<T>> topic;
  private final Callers callers;
  private final String name;

  private BroadcastTopicClient(ActorRef<BroadcastTopic.Command<T>> topic, ActorSystem<?> system) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(topic);
  }

  /**
   * Spawns a topic named {@code name} with these settings under the kit's primitives (a daemon).
   */
  public static <T> BroadcastTopicClient<T> create(
      ActorKit kit, String name, BroadcastTopic.Settings<T> settings) {
    Objects.requireNonNull(settings, "settings");
    return new BroadcastTopicClient<>(
        kit.spawn(Branch.PRIMITIVES, name, BroadcastTopic.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /**
   * Spawns a topic named {@code name} for messages of {@code messageClass} under the kit's
   * primitives (a daemon).
   */
  public static <T> BroadcastTopicClient<T> create(
      ActorKit kit, String name, Class<T> messageClass) {
    return create(kit, name, BroadcastTopic.Settings.of(name, messageClass));
  }

  /** A client for a topic that already runs in {@code system}. */
  public static <T> BroadcastTopicClient<T> of(
      ActorRef<BroadcastTopic.Command<T>> topic, ActorSystem<?> system) {
    return new BroadcastTopicClient<>(topic, system);
  }

  public ActorRef<BroadcastTopic.Command<T>> ref() {
    return topic;
  }

  /** Publishes {@code message} to every live subscriber; returns at once. */
  public void publish(T message) {
    Objects.requireNonNull(message, "message");
    callers.checkOpen("publishing to " + name);
    topic.tell(new BroadcastTopic.Publish<>(message));
  }

  /**
   * Subscribes {@code subscriber}: it receives every message published after this returns. Returns
   * the subscriber count.
   */
  public int subscribe(ActorRef<T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    return callers
        .ask(
            topic,
            callers.defaultTimeout(),
            "subscribing to " + name,
            (ActorRef<BroadcastTopic.Reply> replyTo) ->
                new BroadcastTopic.Subscribe<>(subscriber, replyTo),
            Callers.expect(BroadcastTopic.Subscribed.class, topic))
        .await()
        .subscribers();
  }

  /** Unsubscribes {@code subscriber}; returns the subscriber count. */
  public int unsubscribe(ActorRef<T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    return callers
        .ask(
            topic,
            callers.defaultTimeout(),
            "unsubscribing from " + name,
            (ActorRef<BroadcastTopic.Reply> replyTo) ->
                new BroadcastTopic.Unsubscribe<>(subscriber, replyTo),
            Callers.expect(BroadcastTopic.Unsubscribed.class, topic))
        .await()
        .subscribers();
  }

  /**
   * Subscribes a plain-Java listener: a daemon actor named {@code name} under the kit's primitives
   * branch, on the blocking dispatcher (the listener is user code and may block), calls {@code
   * onMessage} for each message, one at a time, in the order the topic delivers them. A listener
   * that throws is logged and keeps listening (the branch resumes its children). Close the returned
   * handle to unsubscribe and stop the actor.
   *
   * @throws dev.actorkit.core.errors.RejectedException if {@code name} is taken
   */
  public Listener<T> subscribe(ActorKit kit, String name, Consumer<? super T> onMessage) {
    Objects.requireNonNull(onMessage, "onMessage");
    ActorRef<Object> actor =
        kit.spawn(
            Branch.PRIMITIVES,
            name,
            listening(onMessage),
            SpawnOptions.daemon().on(KitDispatcher.BLOCKING));
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

    private Listener(
        BroadcastTopicClient<T> topic, ActorRef<Object> actor, ActorRef<T> subscriber) {
      this.topic = topic;
      this.actor = actor;
      this.subscriber = subscriber;
    }

    /** The subscribed actor. */
    public ActorRef<T> ref() {
      return subscriber;
    }

    /**
     * Unsubscribes (no message published after this returns reaches the listener) and stops the
     * actor.
     */
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
    return status().count();
  }

  /** The topic now: how many live subscribers it has. */
  public BroadcastTopic.Subscribers status() {
    return callers
        .ask(
            topic,
            callers.defaultTimeout(),
            "the subscribers of " + name,
            (ActorRef<BroadcastTopic.Reply> replyTo) ->
                new BroadcastTopic.GetSubscribers<T>(replyTo),
            Callers.expect(BroadcastTopic.Subscribers.class, topic))
        .await();
  }
}
