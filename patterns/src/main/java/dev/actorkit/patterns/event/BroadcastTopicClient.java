package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;

/**
 * A {@link BroadcastTopic} for plain Java: {@code publish} (fire and forget, at most once,
 * in order from this caller), {@code subscribe}/{@code unsubscribe} an actor, and the count of
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
