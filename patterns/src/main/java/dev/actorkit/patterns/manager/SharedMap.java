package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.trace.Tracer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dictionary served by one actor: Python's {@code Manager().dict()}. Clients in this JVM or any
 * other reach it through {@link SharedMapClient}; the actor owns the entries, so every request is
 * one atomic step.
 *
 * <ul>
 *   <li><b>Order:</b> requests are applied one at a time in the order they arrive; requests from
 *       one client thread that waits for each answer are applied in its order.
 *   <li><b>Atomic updates:</b> {@link Update} with an {@link Operation} reads and writes an entry
 *       in one step, so concurrent increments never lose one.
 *   <li><b>Subscriptions:</b> every subscriber gets a {@link Changed} for each write that changed
 *       an entry, in the order the writes were applied. A subscriber that dies is dropped.
 *   <li><b>Refusals:</b> a null key or value, or an operation that does not fit the stored value,
 *       is answered with {@link Rejected} and nothing changes.
 *   <li>Nothing here waits, so there are no timeouts on the server side; clients bound each call.
 * </ul>
 */
public final class SharedMap extends AbstractBehavior<SharedMap.Command> {

  /** Settings of a shared map (none yet; a record so they can grow without breaking callers). */
  public record Settings() {
    public static Settings defaults() {
      return new Settings();
    }
  }

  /** What a shared map understands. */
  public sealed interface Command extends KitMessage {}

  /** The value under {@code key}. Answers {@link Value} ({@code null} when absent). */
  public record Get(String key, ActorRef<Reply> replyTo) implements Command {}

  /** Stores {@code value} under {@code key}. Answers {@link Previous}. */
  public record Put(String key, Payload value, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Stores {@code value} only if {@code key} is absent. Answers {@link Previous}: the value already
   * there, or null if stored.
   */
  public record PutIfAbsent(String key, Payload value, ActorRef<Reply> replyTo)
      implements Command {}

  /** Removes {@code key}. Answers {@link Previous}. */
  public record Remove(String key, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Applies {@code operation} to the entry atomically. Answers {@link Updated} or {@link Rejected}.
   */
  public record Update(String key, Operation operation, ActorRef<Reply> replyTo)
      implements Command {}

  /** How many entries. Answers {@link SizeIs}. */
  public record Size(ActorRef<Reply> replyTo) implements Command {}

  /** A copy of every entry. Answers {@link Entries}. */
  public record GetSnapshot(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Sends {@code subscriber} a {@link Changed} for every later change. Answers {@link Subscribed}.
   */
  public record Subscribe(ActorRef<Changed> subscriber, ActorRef<Reply> replyTo)
      implements Command {}

  /** Stops sending changes to {@code subscriber}. Answers {@link Subscribed} with {@code false}. */
  public record Unsubscribe(ActorRef<Changed> subscriber, ActorRef<Reply> replyTo)
      implements Command {}

  private record SubscriberTerminated(ActorRef<Changed> subscriber) implements Command {}

  /** Every answer of a shared map. */
  public sealed interface Reply extends KitMessage {}

  /** The value found ({@code null} when absent). */
  public record Value(Payload value) implements Reply {}

  /** The value that was there before ({@code null} when absent). */
  public record Previous(Payload previous) implements Reply {}

  /**
   * The outcome of an {@link Operation}: whether it changed the entry, and the value now stored.
   */
  public record Updated(boolean applied, Payload value) implements Reply {}

  /** The number of entries. */
  public record SizeIs(int size) implements Reply {}

  /** A copy of the entries, in insertion order. */
  public record Entries(Map<String, Payload> entries) implements Reply {
    public Entries {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  /** Whether the subscriber is subscribed now. */
  public record Subscribed(boolean subscribed) implements Reply {}

  /** Refused; nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /** A change of one entry, sent to subscribers: before and after ({@code null} for absent). */
  public record Changed(String key, Payload before, Payload after) implements KitMessage {}

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(SharedMap::new);
  }

  private final SharedMapState state = new SharedMapState();
  private final Subscribers<Command, Changed> subscribers;
  private final Tracer tracer;

  private SharedMap(ActorContext<Command> context) {
    super(context);
    this.subscribers = new Subscribers<>(context, SubscriberTerminated::new);
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Get.class, this::onGet)
        .onMessage(Put.class, this::onPut)
        .onMessage(PutIfAbsent.class, this::onPutIfAbsent)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Update.class, this::onUpdate)
        .onMessage(Size.class, this::onSize)
        .onMessage(GetSnapshot.class, this::onSnapshot)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(SubscriberTerminated.class, this::onSubscriberTerminated)
        .build();
  }

  private Behavior<Command> onGet(Get get) {
    if (get.key() == null) {
      get.replyTo().tell(new Rejected("a key must not be null"));
    } else {
      get.replyTo().tell(new Value(state.get(get.key())));
    }
    return this;
  }

  private Behavior<Command> onPut(Put put) {
    if (refused(put.key(), put.value(), put.replyTo())) {
      return this;
    }
    SharedMapState.Change change = state.put(put.key(), put.value());
    changed(put.key(), change);
    put.replyTo().tell(new Previous(change.before()));
    return this;
  }

  private Behavior<Command> onPutIfAbsent(PutIfAbsent put) {
    if (refused(put.key(), put.value(), put.replyTo())) {
      return this;
    }
    SharedMapState.Change change = state.putIfAbsent(put.key(), put.value());
    changed(put.key(), change);
    put.replyTo().tell(new Previous(change.before()));
    return this;
  }

  private Behavior<Command> onRemove(Remove remove) {
    if (remove.key() == null) {
      remove.replyTo().tell(new Rejected("a key must not be null"));
      return this;
    }
    SharedMapState.Change change = state.remove(remove.key());
    changed(remove.key(), change);
    remove.replyTo().tell(new Previous(change.before()));
    return this;
  }

  private Behavior<Command> onUpdate(Update update) {
    if (update.key() == null || update.operation() == null) {
      update.replyTo().tell(new Rejected("an update needs a key and an operation"));
      return this;
    }
    SharedMapState.Change change = state.update(update.key(), update.operation());
    if (change.refusal() != null) {
      update.replyTo().tell(new Rejected(change.refusal()));
      return this;
    }
    changed(update.key(), change);
    update.replyTo().tell(new Updated(change.applied(), change.after()));
    return this;
  }

  private Behavior<Command> onSize(Size size) {
    size.replyTo().tell(new SizeIs(state.size()));
    return this;
  }

  private Behavior<Command> onSnapshot(GetSnapshot snapshot) {
    snapshot.replyTo().tell(new Entries(state.snapshot()));
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe subscribe) {
    subscribers.add(subscribe.subscriber());
    subscribe.replyTo().tell(new Subscribed(true));
    return this;
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
    subscribers.remove(unsubscribe.subscriber());
    unsubscribe.replyTo().tell(new Subscribed(false));
    return this;
  }

  private Behavior<Command> onSubscriberTerminated(SubscriberTerminated terminated) {
    subscribers.stopped(terminated.subscriber());
    return this;
  }

  private boolean refused(String key, Payload value, ActorRef<Reply> replyTo) {
    if (key == null || value == null) {
      replyTo.tell(new Rejected("a key and a value must not be null"));
      return true;
    }
    return false;
  }

  private void changed(String key, SharedMapState.Change change) {
    if (!change.applied()) {
      return;
    }
    tracer.emit(getContext().getSelf(), "set", key);
    if (!subscribers.isEmpty()) {
      subscribers.tellAll(new Changed(key, change.before(), change.after()));
    }
  }
}
