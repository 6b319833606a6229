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
import dev.actorkit.core.trace.TraceKind;
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
 *   <li><b>Once only:</b> a write wrapped in {@link Once} with a request id is applied at most
 *       once: the same id again (a retry after a lost answer) gets the first answer and changes
 *       nothing. The map remembers the last {@link Settings#rememberedRequests()} ids.
 *   <li>Nothing here waits, so there are no timeouts on the server side; clients bound each call.
 * </ul>
 */
public final class SharedMap extends AbstractBehavior<SharedMap.Command> {

  /**
   * Settings of a shared map.
   *
   * @param rememberedRequests how many request ids of {@link Once} writes the map remembers (the
   *     oldest is forgotten first; a retry after that many others is applied again)
   */
  public record Settings(int rememberedRequests) {
    public Settings {
      if (rememberedRequests < 1) {
        throw new IllegalArgumentException(
            "rememberedRequests must be at least 1, got " + rememberedRequests);
      }
    }

    /** 10,000 remembered request ids. */
    public Settings() {
      this(10_000);
    }

    public static Settings defaults() {
      return new Settings();
    }
  }

  /** What a shared map understands. */
  public sealed interface Command extends KitMessage {}

  /** The value under {@code key}. Answers {@link Value} ({@code null} when absent). */
  public record Get(String key, ActorRef<Reply> replyTo) implements Command {}

  /**
   * A command that writes: {@link Put}, {@link PutIfAbsent}, {@link Remove} or {@link Update}. Each
   * is a {@link SharedMapState.Write} with the address its answer goes to.
   */
  public sealed interface WriteCommand extends Command {

    /** What this command writes, without its reply address. */
    SharedMapState.Write asWrite();

    ActorRef<Reply> replyTo();
  }

  /** Stores {@code value} under {@code key}. Answers {@link Previous}. */
  public record Put(String key, Payload value, ActorRef<Reply> replyTo) implements WriteCommand {
    @Override
    public SharedMapState.Write asWrite() {
      return new SharedMapState.Put(key, value);
    }
  }

  /**
   * Stores {@code value} only if {@code key} is absent. Answers {@link Previous}: the value already
   * there, or null if stored.
   */
  public record PutIfAbsent(String key, Payload value, ActorRef<Reply> replyTo)
      implements WriteCommand {
    @Override
    public SharedMapState.Write asWrite() {
      return new SharedMapState.PutIfAbsent(key, value);
    }
  }

  /** Removes {@code key}. Answers {@link Previous}. */
  public record Remove(String key, ActorRef<Reply> replyTo) implements WriteCommand {
    @Override
    public SharedMapState.Write asWrite() {
      return new SharedMapState.Remove(key);
    }
  }

  /**
   * Applies {@code operation} to the entry atomically. Answers {@link Updated} or {@link Rejected}.
   */
  public record Update(String key, Operation operation, ActorRef<Reply> replyTo)
      implements WriteCommand {
    @Override
    public SharedMapState.Write asWrite() {
      return new SharedMapState.Update(key, operation);
    }
  }

  /**
   * Applies {@code write} (a {@link Put}, {@link PutIfAbsent}, {@link Remove} or {@link Update}) at
   * most once for {@code requestId}: a request id seen before is answered with the first answer,
   * sent to this {@code write}'s reply address, and nothing changes. A blank id is {@link
   * Rejected}; any other command in it has no answer to give and is dropped (and logged).
   */
  public record Once(String requestId, Command write) implements Command {}

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
    return Behaviors.setup(context -> new SharedMap(context, settings));
  }

  private final SharedMapState state = new SharedMapState();
  private final RequestWindow<Reply> answered;
  private final Subscribers<Command, Changed> subscribers;
  private final Tracer tracer;

  private SharedMap(ActorContext<Command> context, Settings settings) {
    super(context);
    this.answered = new RequestWindow<>(settings.rememberedRequests());
    this.subscribers = new Subscribers<>(context, SubscriberTerminated::new);
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Get.class, this::onGet)
        .onMessage(Put.class, this::onWrite)
        .onMessage(PutIfAbsent.class, this::onWrite)
        .onMessage(Remove.class, this::onWrite)
        .onMessage(Update.class, this::onWrite)
        .onMessage(Once.class, this::onOnce)
        .onMessage(Size.class, this::onSize)
        .onMessage(GetSnapshot.class, this::onSnapshot)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(SubscriberTerminated.class, this::onSubscriberTerminated)
        .build();
  }

  private Behavior<Command> onGet(Get get) {
    get.replyTo().tell(state.read(get.key()));
    return this;
  }

  private Behavior<Command> onWrite(WriteCommand command) {
    command.replyTo().tell(write(command.asWrite(), command.replyTo()));
    return this;
  }

  private Behavior<Command> onOnce(Once once) {
    if (!(once.write() instanceof WriteCommand command) || command.replyTo() == null) {
      getContext().getLog().warn("Once carries no write with a reply address: {}", once.write());
      return this;
    }
    SharedMapState.Write write = command.asWrite();
    Reply reply =
        answered.answer(
            once.requestId(),
            write.describe(),
            () -> write(write, command.replyTo()),
            Rejected::new);
    command.replyTo().tell(reply);
    return this;
  }

  /**
   * Applies a write from {@code writer}, tells the subscribers of the change, and says what the
   * writer is told.
   */
  private Reply write(SharedMapState.Write write, ActorRef<?> writer) {
    SharedMapState.Applied applied = state.apply(write);
    Changed changed = applied.changed();
    if (changed != null) {
      if (tracer.enabled()) {
        tracer.emit(getContext().getSelf(), "set", writer, changed.key());
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.size());
      }
      if (!subscribers.isEmpty()) {
        subscribers.tellAll(changed);
      }
    }
    return applied.reply();
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
}
