package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.manager.RequestWindow;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListState;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A shared list whose elements outlive the JVM that hosts it: the {@link SharedList} protocol,
 * event-sourced in the durable journal, reached by name through the plain {@code SharedListClient}
 * ({@link DurableKit#list}). The same contract as {@link DurableSharedList}, in short:
 *
 * <ul>
 *   <li><b>The journal.</b> Every write that reaches the elements is an event, {@link Written}: the
 *       write without its reply address, with its request id if it came in a {@code Once}. A
 *       recovery replays the events through the same {@link SharedListState} and {@link
 *       RequestWindow} as the in-memory list, so the elements and the answers remembered under
 *       request ids come back as they were. The writer is answered, and the subscribers told, only
 *       once the event is written.
 *   <li><b>Reads</b> ({@code Get}, {@code Size}, {@code GetSnapshot}) are answered from memory and
 *       write nothing; a read out of range is {@code Rejected}.
 *   <li><b>Refusals.</b> A plain write refused for its input (a null value, an index out of range,
 *       an operation that does not fit the element) is answered {@code Rejected} at once and writes
 *       nothing. A refused write inside a {@code Once} is an event, so the same id gets the same
 *       {@code Rejected} after a restart, as it does from the in-memory list.
 *   <li><b>Request ids</b> survive failover and a restart of the whole cluster: a write repeated
 *       under a remembered id gets the first answer (an append, the index it was appended at),
 *       changes nothing and writes nothing. The list remembers the last {@link
 *       #REMEMBERED_REQUESTS} ids. A write the store refused was not made: a retry is applied.
 *   <li><b>Subscriptions are kept</b> in the journal and watched again wherever the list starts; a
 *       subscriber on a node that is gone is dropped. A change written by a host that died before
 *       it told its subscribers is not told again.
 *   <li><b>When the journal fails</b>, the writer whose event was not written is answered {@code
 *       Rejected} with {@link PendingWrite#STORE_FAILED}, and nothing changed ({@link
 *       PendingWrite}).
 * </ul>
 *
 * <p><b>Differences from the in-memory list.</b> No settings: the request-id window is {@link
 * #REMEMBERED_REQUESTS}. Every write costs a journal write. There are no snapshots yet: a recovery
 * replays the list's whole journal. A {@code Subscribe} with a null subscriber is refused. One
 * entity; not thread-safe.
 */
public final class DurableSharedList
    extends EventSourcedBehavior<Object, DurableSharedList.Event, DurableSharedList.Contents> {

  /** The kind of persistence id and sharding entity: {@code actorkit-list|name}. */
  public static final String KIND = "actorkit-list";

  /** How many request ids a durable list remembers: the in-memory list's default. */
  public static final int REMEMBERED_REQUESTS = SharedList.Settings.defaults().rememberedRequests();

  /** What the journal of a list holds. */
  public sealed interface Event extends KitMessage {}

  /**
   * {@code write} reached the elements: applied, or refused inside a {@code Once} whose {@code
   * requestId} (null for a plain write) remembers the answer.
   */
  public record Written(String requestId, SharedListState.Write write) implements Event {}

  /** {@code subscriber} is told every later change. */
  public record SubscriberAdded(ActorRef<SharedList.Changed> subscriber) implements Event {}

  /** {@code subscriber} unsubscribed, or died. */
  public record SubscriberRemoved(ActorRef<SharedList.Changed> subscriber) implements Event {}

  /** A watched subscriber stopped, or its node is gone. */
  private record SubscriberTerminated(ActorRef<?> subscriber) {}

  /**
   * The state the journal rebuilds: the elements, the answers remembered under request ids, the
   * subscribers, and what the write last applied did (so the command that wrote it can answer).
   * Mutable, as the event handler changes it in place; it belongs to one entity. Akka starts every
   * recovery, a restart's too, from the one object {@link DurableSharedList#emptyState} gave, so
   * that one ({@code pristine}) is never changed: the first event is applied to a new one.
   */
  public static final class Contents {
    private final boolean pristine;
    private final SharedListState elements = new SharedListState();
    private final RequestWindow<SharedList.Reply> answered =
        new RequestWindow<>(REMEMBERED_REQUESTS);
    private final Set<ActorRef<SharedList.Changed>> subscribers = new LinkedHashSet<>();
    private SharedListState.Applied last;

    private Contents(boolean pristine) {
      this.pristine = pristine;
    }

    /** These contents, or new ones to change if these are the pristine ones. */
    private Contents toChange() {
      return pristine ? new Contents(false) : this;
    }
  }

  private final ActorContext<Object> context;
  private final Tracer tracer;
  private final EntityWatch watch;

  /** The write pending, known by the sequence number its event will have. */
  private final PendingWrite<Long> pending = new PendingWrite<>();

  /** The contents as last recovered, for the answer of a write settled after a restart. */
  private Contents current;

  /** The list named {@code name}, kept under {@code actorkit-list|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableSharedList(name, context));
  }

  private DurableSharedList(String name, ActorContext<Object> context) {
    super(PersistenceId.of(KIND, name), PendingWrite.ON_WRITE_FAILURE);
    this.context = context;
    this.tracer = Tracer.get(context.getSystem());
    this.watch = new EntityWatch(context, SubscriberTerminated::new);
  }

  @Override
  public String journalPluginId() {
    return DurableKit.JOURNAL;
  }

  @Override
  public String snapshotPluginId() {
    return DurableKit.SNAPSHOT_STORE;
  }

  @Override
  public Contents emptyState() {
    return new Contents(true);
  }

  @Override
  public CommandHandler<Object, Event, Contents> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            SharedList.Get.class,
            (list, get) -> answer(get.replyTo(), list.elements.read(get.index())))
        .onCommand(
            SharedList.Size.class,
            (list, size) -> answer(size.replyTo(), new SharedList.SizeIs(list.elements.size())))
        .onCommand(
            SharedList.GetSnapshot.class,
            (list, get) -> answer(get.replyTo(), new SharedList.Elements(list.elements.snapshot())))
        .onCommand(
            SharedList.WriteCommand.class,
            (list, command) -> write(list, null, command.asWrite(), command.replyTo()))
        .onCommand(SharedList.Once.class, this::onOnce)
        .onCommand(SharedList.Subscribe.class, this::onSubscribe)
        .onCommand(SharedList.Unsubscribe.class, this::onUnsubscribe)
        .onCommand(SubscriberTerminated.class, this::onSubscriberTerminated)
        .build();
  }

  @Override
  public EventHandler<Contents, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Written.class,
            (state, written) -> {
              Contents list = state.toChange();
              SharedListState.Write write = written.write();
              list.last = list.elements.apply(write);
              if (written.requestId() != null) {
                list.answered.remember(written.requestId(), write.describe(), list.last.reply());
              }
              return list;
            })
        .onEvent(
            SubscriberAdded.class,
            (state, added) -> {
              Contents list = state.toChange();
              list.subscribers.add(added.subscriber());
              return list;
            })
        .onEvent(
            SubscriberRemoved.class,
            (state, removed) -> {
              Contents list = state.toChange();
              list.subscribers.remove(removed.subscriber());
              return list;
            })
        .build();
  }

  @Override
  public SignalHandler<Contents> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PreRestart.instance(),
            list -> {
              pending.failed();
              watch.forgetAll();
            })
        .onSignal(
            RecoveryCompleted.instance(),
            list -> {
              current = list;
              list.subscribers.forEach(watch::watchRecovered);
              // A write that failed was made if the journal has its event: the last one replayed.
              pending.recovered(lastSequenceNumber(context));
            })
        .build();
  }

  private Effect<Event, Contents> onOnce(Contents list, SharedList.Once once) {
    if (!(once.write() instanceof SharedList.WriteCommand command) || command.replyTo() == null) {
      context.getLog().warn("Once carries no write with a reply address: {}", once.write());
      return Effect().none();
    }
    return write(list, once.requestId(), command.asWrite(), command.replyTo());
  }

  /**
   * Answers at once what needs no event (a plain write refused for its input, a request id that has
   * its answer already), else writes {@code write} and then answers as the list applied it.
   */
  private Effect<Event, Contents> write(
      Contents list,
      String requestId,
      SharedListState.Write write,
      ActorRef<SharedList.Reply> replyTo) {
    if (requestId == null) {
      String refusal = list.elements.refusal(write);
      if (refusal != null) {
        return answer(replyTo, new SharedList.Rejected(refusal));
      }
    } else {
      SharedList.Reply known =
          list.answered.recall(requestId, write.describe(), SharedList.Rejected::new);
      if (known != null) {
        return answer(replyTo, known);
      }
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> applied(current, replyTo), // its event was the last one replayed
        () -> replyTo.tell(new SharedList.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new Written(requestId, write))
        .thenRun(
            (Contents after) -> {
              pending.done();
              applied(after, replyTo);
            });
  }

  /** Tells the subscribers of the change the last write made, then answers its writer. */
  private void applied(Contents list, ActorRef<SharedList.Reply> replyTo) {
    SharedList.Changed changed = list.last.changed();
    if (changed != null) {
      if (tracer.enabled()) {
        tracer.emit(context.getSelf(), "set", changed.index());
      }
      list.subscribers.forEach(subscriber -> subscriber.tell(changed));
    }
    replyTo.tell(list.last.reply());
  }

  private Effect<Event, Contents> onSubscribe(Contents list, SharedList.Subscribe subscribe) {
    ActorRef<SharedList.Changed> subscriber = subscribe.subscriber();
    ActorRef<SharedList.Reply> replyTo = subscribe.replyTo();
    if (subscriber == null) {
      return answer(replyTo, new SharedList.Rejected("a subscriber must not be null"));
    }
    if (list.subscribers.contains(subscriber)) {
      return answer(replyTo, new SharedList.Subscribed(true));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> replyTo.tell(new SharedList.Subscribed(true)), // watched again by the recovery
        () -> replyTo.tell(new SharedList.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberAdded(subscriber))
        .thenRun(
            (Contents after) -> {
              pending.done();
              watch.watch(subscriber);
              replyTo.tell(new SharedList.Subscribed(true));
            });
  }

  private Effect<Event, Contents> onUnsubscribe(Contents list, SharedList.Unsubscribe unsubscribe) {
    ActorRef<SharedList.Changed> subscriber = unsubscribe.subscriber();
    ActorRef<SharedList.Reply> replyTo = unsubscribe.replyTo();
    if (subscriber == null || !list.subscribers.contains(subscriber)) {
      return answer(replyTo, new SharedList.Subscribed(false));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> {
          watch.unwatchUnless(false, subscriber);
          replyTo.tell(new SharedList.Subscribed(false));
        },
        () -> replyTo.tell(new SharedList.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberRemoved(subscriber))
        .thenRun(
            (Contents after) -> {
              pending.done();
              watch.unwatchUnless(false, subscriber);
              replyTo.tell(new SharedList.Subscribed(false));
            });
  }

  /**
   * A subscriber died: it is dropped from the journal too, so that no later recovery watches it
   * again. If that write fails, the recovery finds it dead again.
   */
  private Effect<Event, Contents> onSubscriberTerminated(
      Contents list, SubscriberTerminated terminated) {
    watch.died(terminated.subscriber());
    if (!list.subscribers.contains(terminated.subscriber())) {
      return Effect().none();
    }
    return Effect().persist(new SubscriberRemoved(terminated.subscriber().unsafeUpcast()));
  }

  private Effect<Event, Contents> answer(
      ActorRef<SharedList.Reply> replyTo, SharedList.Reply reply) {
    return Effect().none().thenRun(ignored -> replyTo.tell(reply));
  }
}
