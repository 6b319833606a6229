package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.pubsub.Topic;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.trace.Tracer;
import java.util.HashSet;
import java.util.Set;

/**
 * A broadcast topic: every message published reaches every live subscriber. Built on Akka's {@link
 * Topic} ({@code akka.actor.typed.pubsub.Topic}), which this actor owns as its child.
 *
 * <p><b>What it guarantees</b> (those of Akka's {@code Topic}):
 *
 * <ul>
 *   <li><b>At most once</b>: a message is delivered to each subscriber at most once, and may be
 *       lost (a subscriber that stops, a node that leaves, in cluster mode a lost message). Nothing
 *       is stored for late subscribers: a subscriber sees only what is published after its {@link
 *       Subscribed} answer.
 *   <li><b>Order per publisher</b>: messages from one publisher reach each subscriber in the order
 *       they were published (every publish passes through this actor and its topic child, and Akka
 *       keeps the order of messages between one pair of actors). Messages from two publishers may
 *       interleave differently at different subscribers.
 *   <li><b>Death</b>: subscribers are watched (by this actor and by the topic); one that stops is
 *       dropped and receives nothing further.
 *   <li><b>Refusals</b>: subscribing or unsubscribing {@code null} is answered {@link Rejected};
 *       publishing {@code null} is dropped and logged.
 * </ul>
 *
 * <p>In a cluster every node's topic actor of the same name finds the others through the
 * receptionist and forwards publications to them, so subscribers on other nodes receive them too,
 * still at most once; a subscriber on a node that joined a moment ago may miss messages until the
 * receptionist has spread the news.
 *
 * @param <T> the type of the messages broadcast
 */
public final class BroadcastTopic<T> extends AbstractBehavior<BroadcastTopic.Command<T>> {

  /** Everything a broadcast topic understands. */
  public sealed interface Command<T> extends KitMessage {}

  /** Publishes {@code message} to every live subscriber; no answer (at most once). */
  public record Publish<T>(T message) implements Command<T> {}

  /** Adds {@code subscriber}; answered with {@link Subscribed}. Subscribing twice is harmless. */
  public record Subscribe<T>(ActorRef<T> subscriber, ActorRef<Reply> replyTo)
      implements Command<T> {}

  /** Removes {@code subscriber}; answered with {@link Unsubscribed}. */
  public record Unsubscribe<T>(ActorRef<T> subscriber, ActorRef<Reply> replyTo)
      implements Command<T> {}

  /** Asks how many live subscribers there are; answered with {@link Subscribers}. */
  public record GetSubscribers<T>(ActorRef<Reply> replyTo) implements Command<T> {}

  /** Every answer a topic gives. */
  public sealed interface Reply extends KitMessage {}

  /**
   * The subscriber receives every message published from now on; {@code subscribers} counts them
   * all.
   */
  public record Subscribed(int subscribers) implements Reply {}

  /** The subscriber receives nothing further (unless already under way). */
  public record Unsubscribed(int subscribers) implements Reply {}

  /** How many live subscribers this topic has on this node. */
  public record Subscribers(int count) implements Reply {}

  /** The request was refused and nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  private record SubscriberTerminated<T>(ActorRef<T> subscriber) implements Command<T> {}

  /**
   * How a topic is made.
   *
   * @param topicName the name topics of the same message type share across a cluster
   * @param messageClass the class of the messages broadcast
   */
  public record Settings<T>(String topicName, Class<T> messageClass) {
    public Settings {
      if (topicName == null || topicName.isBlank()) {
        throw new IllegalArgumentException("a topic needs a name");
      }
      if (messageClass == null) {
        throw new IllegalArgumentException("a topic needs its message class");
      }
    }

    public static <T> Settings<T> of(String topicName, Class<T> messageClass) {
      return new Settings<>(topicName, messageClass);
    }
  }

  /** A topic with these settings. */
  public static <T> Behavior<Command<T>> create(Settings<T> settings) {
    return Behaviors.setup(context -> new BroadcastTopic<>(context, settings));
  }

  private final ActorRef<Topic.Command<T>> topic;
  private final Set<ActorRef<T>> subscribers = new HashSet<>();
  private final Tracer tracer;

  private BroadcastTopic(ActorContext<Command<T>> context, Settings<T> settings) {
    super(context);
    this.topic =
        context.spawn(Topic.create(settings.messageClass(), settings.topicName()), "topic");
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command<T>> createReceive() {
    return newReceiveBuilder()
        .onMessage(BroadcastTopic.<Publish<T>>typed(Publish.class), this::onPublish)
        .onMessage(BroadcastTopic.<Subscribe<T>>typed(Subscribe.class), this::onSubscribe)
        .onMessage(BroadcastTopic.<Unsubscribe<T>>typed(Unsubscribe.class), this::onUnsubscribe)
        .onMessage(
            BroadcastTopic.<GetSubscribers<T>>typed(GetSubscribers.class), this::onGetSubscribers)
        .onMessage(
            BroadcastTopic.<SubscriberTerminated<T>>typed(SubscriberTerminated.class),
            this::onSubscriberTerminated)
        .build();
  }

  /** A generic record's class with its type argument: erased at run time, so the cast is safe. */
  @SuppressWarnings("unchecked")
  private static <M> Class<M> typed(Class<?> rawClass) {
    return (Class<M>) rawClass;
  }

  private Behavior<Command<T>> onPublish(Publish<T> publish) {
    if (publish.message() == null) {
      getContext()
          .getLog()
          .warn("Dropped a null message published to {}", getContext().getSelf().path());
      return this;
    }
    tracer.emit(getContext().getSelf(), "published", publish.message());
    topic.tell(Topic.publish(publish.message()));
    return this;
  }

  private Behavior<Command<T>> onSubscribe(Subscribe<T> subscribe) {
    if (subscribe.subscriber() == null) {
      subscribe.replyTo().tell(new Rejected("the subscriber must not be null"));
      return this;
    }
    if (subscribers.add(subscribe.subscriber())) {
      getContext()
          .watchWith(subscribe.subscriber(), new SubscriberTerminated<>(subscribe.subscriber()));
      topic.tell(Topic.subscribe(subscribe.subscriber()));
      tracer.emit(getContext().getSelf(), "subscribed", subscribe.subscriber(), "");
    }
    subscribe.replyTo().tell(new Subscribed(subscribers.size()));
    return this;
  }

  private Behavior<Command<T>> onUnsubscribe(Unsubscribe<T> unsubscribe) {
    if (unsubscribe.subscriber() == null) {
      unsubscribe.replyTo().tell(new Rejected("the subscriber must not be null"));
      return this;
    }
    if (subscribers.remove(unsubscribe.subscriber())) {
      getContext().unwatch(unsubscribe.subscriber());
      topic.tell(Topic.unsubscribe(unsubscribe.subscriber()));
    }
    unsubscribe.replyTo().tell(new Unsubscribed(subscribers.size()));
    return this;
  }

  private Behavior<Command<T>> onGetSubscribers(GetSubscribers<T> get) {
    get.replyTo().tell(new Subscribers(subscribers.size()));
    return this;
  }

  private Behavior<Command<T>> onSubscriberTerminated(SubscriberTerminated<T> terminated) {
    // The topic watches its subscribers too and drops this one by itself.
    subscribers.remove(terminated.subscriber());
    tracer.emit(getContext().getSelf(), "unsubscribed", terminated.subscriber(), "it stopped");
    return this;
  }
}
