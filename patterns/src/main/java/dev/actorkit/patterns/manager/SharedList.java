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
import java.util.List;

/**
 * A list served by one actor: Python's {@code Manager().list()}. Same rules as {@link SharedMap}:
 * one request at a time in arrival order, atomic {@link Operation}s on one element, a {@link
 * Changed} to every subscriber for every change in the order applied, dead subscribers dropped, and
 * {@link Rejected} (nothing changed) for a null value or an index out of range (negative indexes
 * count from the end, as in Python), and writes applied at most once per request id ({@link Once}).
 */
public final class SharedList extends AbstractBehavior<SharedList.Command> {

  /**
   * Settings of a shared list.
   *
   * @param rememberedRequests how many request ids of {@link Once} writes the list remembers
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

  /** What a shared list understands. */
  public sealed interface Command extends KitMessage {}

  /**
   * A command that writes: {@link Append}, {@link Set} or {@link Update}. Each is a {@link
   * SharedListState.Write} with the address its answer goes to.
   */
  public sealed interface WriteCommand extends Command {

    /** What this command writes, without its reply address. */
    SharedListState.Write asWrite();

    ActorRef<Reply> replyTo();
  }

  /** Adds {@code value} at the end. Answers {@link Appended}. */
  public record Append(Payload value, ActorRef<Reply> replyTo) implements WriteCommand {
    @Override
    public SharedListState.Write asWrite() {
      return new SharedListState.Append(value);
    }
  }

  /** The element at {@code index}. Answers {@link Value} or {@link Rejected} (out of range). */
  public record Get(int index, ActorRef<Reply> replyTo) implements Command {}

  /** Replaces the element at {@code index}. Answers {@link Previous} or {@link Rejected}. */
  public record Set(int index, Payload value, ActorRef<Reply> replyTo) implements WriteCommand {
    @Override
    public SharedListState.Write asWrite() {
      return new SharedListState.Set(index, value);
    }
  }

  /**
   * Applies {@code operation} to the element at {@code index} atomically. Answers {@link Updated}
   * or {@link Rejected}.
   */
  public record Update(int index, Operation operation, ActorRef<Reply> replyTo)
      implements WriteCommand {
    @Override
    public SharedListState.Write asWrite() {
      return new SharedListState.Update(index, operation);
    }
  }

  /**
   * Applies {@code write} (an {@link Append}, {@link Set} or {@link Update}) at most once for
   * {@code requestId}, as {@link SharedMap.Once} does for a map.
   */
  public record Once(String requestId, Command write) implements Command {}

  /** How many elements. Answers {@link SizeIs}. */
  public record Size(ActorRef<Reply> replyTo) implements Command {}

  /** A copy of every element. Answers {@link Elements}. */
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

  /** Every answer of a shared list. */
  public sealed interface Reply extends KitMessage {}

  /** The value was added at {@code index}. */
  public record Appended(int index) implements Reply {}

  public record Value(Payload value) implements Reply {}

  public record Previous(Payload previous) implements Reply {}

  public record Updated(boolean applied, Payload value) implements Reply {}

  public record SizeIs(int size) implements Reply {}

  public record Elements(List<Payload> elements) implements Reply {
    public Elements {
      elements = List.copyOf(elements);
    }
  }

  public record Subscribed(boolean subscribed) implements Reply {}

  /** Refused; nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /** A change at {@code index}: before ({@code null} for an append) and after. */
  public record Changed(int index, Payload before, Payload after) implements KitMessage {}

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(context -> new SharedList(context, settings));
  }

  private final SharedListState state = new SharedListState();
  private final RequestWindow<Reply> answered;
  private final Subscribers<Command, Changed> subscribers;
  private final Tracer tracer;

  private SharedList(ActorContext<Command> context, Settings settings) {
    super(context);
    this.answered = new RequestWindow<>(settings.rememberedRequests());
    this.subscribers = new Subscribers<>(context, SubscriberTerminated::new);
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Append.class, this::onWrite)
        .onMessage(Get.class, this::onGet)
        .onMessage(Set.class, this::onWrite)
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
    get.replyTo().tell(state.read(get.index()));
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
    SharedListState.Write write = command.asWrite();
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
  private Reply write(SharedListState.Write write, ActorRef<?> writer) {
    SharedListState.Applied applied = state.apply(write);
    Changed changed = applied.changed();
    if (changed != null) {
      if (tracer.enabled()) {
        tracer.emit(getContext().getSelf(), "set", writer, changed.index());
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.size());
      }
      subscribers.tellAll(changed);
    }
    return applied.reply();
  }

  private Behavior<Command> onSize(Size size) {
    size.replyTo().tell(new SizeIs(state.size()));
    return this;
  }

  private Behavior<Command> onSnapshot(GetSnapshot snapshot) {
    snapshot.replyTo().tell(new Elements(state.snapshot()));
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
