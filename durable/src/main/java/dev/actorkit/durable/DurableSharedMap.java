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
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapState;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A shared map whose entries outlive the JVM that hosts it: the {@link SharedMap} protocol,
 * event-sourced in the durable journal, reached by name through the plain {@code SharedMapClient}
 * ({@link DurableKit#map}).
 *
 * <ul>
 *   <li><b>The journal.</b> Every write that reaches the entries is an event, {@link Written}: the
 *       write without its reply address, with its request id if it came in a {@code Once}. A
 *       recovery replays the events through the same {@link SharedMapState} and {@link
 *       RequestWindow} as the in-memory map, so the entries (in insertion order) and the answers
 *       remembered under request ids come back as they were. The writer is answered, and the
 *       subscribers told, only once the event is written.
 *   <li><b>Reads</b> ({@code Get}, {@code Size}, {@code GetSnapshot}) are answered from memory and
 *       write nothing.
 *   <li><b>Refusals.</b> A plain write refused for its input (a null key or value, an operation
 *       that does not fit the stored value) is answered {@code Rejected} at once and writes
 *       nothing: it changes nothing. A refused write inside a {@code Once} is an event, as the
 *       in-memory map remembers its refusal under the request id: the same id gets the same {@code
 *       Rejected} after a restart.
 *   <li><b>Request ids</b> survive failover and a restart of the whole cluster: a write repeated
 *       under a remembered id gets the first answer, changes nothing and writes nothing. The map
 *       remembers the last {@link #REMEMBERED_REQUESTS} ids, as the in-memory map does by default.
 *       A write the store refused was not made, so its id is not used up: a retry is applied.
 *   <li><b>Subscriptions are kept</b> in the journal ({@link SubscriberAdded}, {@link
 *       SubscriberRemoved}). Wherever the map starts again it watches its subscribers again; one on
 *       a node that is gone (or in a cluster that was stopped) is found dead and dropped ({@link
 *       EntityWatch}). Changes are told in the order written; a change written by a host that died
 *       before it told its subscribers is not told again, so a subscriber that must miss nothing
 *       reads a snapshot when it learns of a move.
 *   <li><b>When the journal fails</b>, the map restarts from the journal (after a short pause that
 *       grows while the journal keeps failing); the writer whose event was not written is answered
 *       {@code Rejected} with {@link PendingWrite#STORE_FAILED}, and nothing changed ({@link
 *       PendingWrite}).
 * </ul>
 *
 * <p><b>Differences from the in-memory map.</b> No settings: the request-id window is {@link
 * #REMEMBERED_REQUESTS}. Every write costs a journal write, and the writes of one map follow each
 * other. There are no snapshots yet: a recovery replays the map's whole journal. A {@code
 * Subscribe} with a null subscriber is refused. One entity; not thread-safe.
 */
public final class DurableSharedMap
    extends EventSourcedBehavior<Object, DurableSharedMap.Event, DurableSharedMap.Contents> {

  /** The kind of persistence id and sharding entity: {@code actorkit-map|name}. */
  public static final String KIND = "actorkit-map";

  /** How many request ids a durable map remembers: the in-memory map's default. */
  public static final int REMEMBERED_REQUESTS = SharedMap.Settings.defaults().rememberedRequests();

  /** What the journal of a map holds. */
  public sealed interface Event extends KitMessage {}

  /**
   * {@code write} reached the entries: applied, or refused inside a {@code Once} whose {@code
   * requestId} (null for a plain write) remembers the answer.
   */
  public record Written(String requestId, SharedMapState.Write write) implements Event {}

  /** {@code subscriber} is told every later change. */
  public record SubscriberAdded(ActorRef<SharedMap.Changed> subscriber) implements Event {}

  /** {@code subscriber} unsubscribed, or died. */
  public record SubscriberRemoved(ActorRef<SharedMap.Changed> subscriber) implements Event {}

  /** A watched subscriber stopped, or its node is gone. */
  private record SubscriberTerminated(ActorRef<?> subscriber) {}

  /**
   * The state the journal rebuilds: the entries, the answers remembered under request ids, the
   * subscribers, and what the write last applied did (so the command that wrote it can answer).
   * Mutable, as the event handler changes it in place; it belongs to one entity. Akka starts every
   * recovery, a restart's too, from the one object {@link DurableSharedMap#emptyState} gave, so
   * that one ({@code pristine}) is never changed: the first event is applied to a new one.
   */
  public static final class Contents {
    private final boolean pristine;
    private final SharedMapState entries = new SharedMapState();
    private final RequestWindow<SharedMap.Reply> answered =
        new RequestWindow<>(REMEMBERED_REQUESTS);
    private final Set<ActorRef<SharedMap.Changed>> subscribers = new LinkedHashSet<>();
    private SharedMapState.Applied last;

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

  /** The map named {@code name}, kept under {@code actorkit-map|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableSharedMap(name, context));
  }

  private DurableSharedMap(String name, ActorContext<Object> context) {
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
            SharedMap.Get.class, (map, get) -> answer(get.replyTo(), map.entries.read(get.key())))
        .onCommand(
            SharedMap.Size.class,
            (map, size) -> answer(size.replyTo(), new SharedMap.SizeIs(map.entries.size())))
        .onCommand(
            SharedMap.GetSnapshot.class,
            (map, get) -> answer(get.replyTo(), new SharedMap.Entries(map.entries.snapshot())))
        .onCommand(
            SharedMap.WriteCommand.class,
            (map, command) -> write(map, null, command.asWrite(), command.replyTo()))
        .onCommand(SharedMap.Once.class, this::onOnce)
        .onCommand(SharedMap.Subscribe.class, this::onSubscribe)
        .onCommand(SharedMap.Unsubscribe.class, this::onUnsubscribe)
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
              Contents map = state.toChange();
              SharedMapState.Write write = written.write();
              map.last = map.entries.apply(write);
              if (written.requestId() != null) {
                map.answered.remember(written.requestId(), write.describe(), map.last.reply());
              }
              return map;
            })
        .onEvent(
            SubscriberAdded.class,
            (state, added) -> {
              Contents map = state.toChange();
              map.subscribers.add(added.subscriber());
              return map;
            })
        .onEvent(
            SubscriberRemoved.class,
            (state, removed) -> {
              Contents map = state.toChange();
              map.subscribers.remove(removed.subscriber());
              return map;
            })
        .build();
  }

  @Override
  public SignalHandler<Contents> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PreRestart.instance(),
            map -> {
              pending.failed();
              watch.forgetAll();
            })
        .onSignal(
            RecoveryCompleted.instance(),
            map -> {
              current = map;
              map.subscribers.forEach(watch::watchRecovered);
              // A write that failed was made if the journal has its event: the last one replayed.
              pending.recovered(lastSequenceNumber(context));
            })
        .build();
  }

  private Effect<Event, Contents> onOnce(Contents map, SharedMap.Once once) {
    if (!(once.write() instanceof SharedMap.WriteCommand command) || command.replyTo() == null) {
      context.getLog().warn("Once carries no write with a reply address: {}", once.write());
      return Effect().none();
    }
    return write(map, once.requestId(), command.asWrite(), command.replyTo());
  }

  /**
   * Answers at once what needs no event (a plain write refused for its input, a request id that has
   * its answer already), else writes {@code write} and then answers as the map applied it.
   */
  private Effect<Event, Contents> write(
      Contents map,
      String requestId,
      SharedMapState.Write write,
      ActorRef<SharedMap.Reply> replyTo) {
    if (requestId == null) {
      String refusal = map.entries.refusal(write);
      if (refusal != null) {
        return answer(replyTo, new SharedMap.Rejected(refusal));
      }
    } else {
      SharedMap.Reply known =
          map.answered.recall(requestId, write.describe(), SharedMap.Rejected::new);
      if (known != null) {
        return answer(replyTo, known);
      }
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> applied(current, replyTo), // its event was the last one replayed
        () -> replyTo.tell(new SharedMap.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new Written(requestId, write))
        .thenRun(
            (Contents after) -> {
              pending.done();
              applied(after, replyTo);
            });
  }

  /** Tells the subscribers of the change the last write made, then answers its writer. */
  private void applied(Contents map, ActorRef<SharedMap.Reply> replyTo) {
    SharedMap.Changed changed = map.last.changed();
    if (changed != null) {
      if (tracer.enabled()) {
        tracer.emit(context.getSelf(), "set", changed.key());
      }
      map.subscribers.forEach(subscriber -> subscriber.tell(changed));
    }
    replyTo.tell(map.last.reply());
  }

  private Effect<Event, Contents> onSubscribe(Contents map, SharedMap.Subscribe subscribe) {
    ActorRef<SharedMap.Changed> subscriber = subscribe.subscriber();
    ActorRef<SharedMap.Reply> replyTo = subscribe.replyTo();
    if (subscriber == null) {
      return answer(replyTo, new SharedMap.Rejected("a subscriber must not be null"));
    }
    if (map.subscribers.contains(subscriber)) {
      return answer(replyTo, new SharedMap.Subscribed(true));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> replyTo.tell(new SharedMap.Subscribed(true)), // watched again by the recovery
        () -> replyTo.tell(new SharedMap.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberAdded(subscriber))
        .thenRun(
            (Contents after) -> {
              pending.done();
              watch.watch(subscriber);
              replyTo.tell(new SharedMap.Subscribed(true));
            });
  }

  private Effect<Event, Contents> onUnsubscribe(Contents map, SharedMap.Unsubscribe unsubscribe) {
    ActorRef<SharedMap.Changed> subscriber = unsubscribe.subscriber();
    ActorRef<SharedMap.Reply> replyTo = unsubscribe.replyTo();
    if (subscriber == null || !map.subscribers.contains(subscriber)) {
      return answer(replyTo, new SharedMap.Subscribed(false));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> {
          watch.unwatchUnless(false, subscriber);
          replyTo.tell(new SharedMap.Subscribed(false));
        },
        () -> replyTo.tell(new SharedMap.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberRemoved(subscriber))
        .thenRun(
            (Contents after) -> {
              pending.done();
              watch.unwatchUnless(false, subscriber);
              replyTo.tell(new SharedMap.Subscribed(false));
            });
  }

  /**
   * A subscriber died: it is dropped from the journal too, so that no later recovery watches it
   * again. If that write fails, the recovery finds it dead again.
   */
  private Effect<Event, Contents> onSubscriberTerminated(
      Contents map, SubscriberTerminated terminated) {
    watch.died(terminated.subscriber());
    if (!map.subscribers.contains(terminated.subscriber())) {
      return Effect().none();
    }
    return Effect().persist(new SubscriberRemoved(terminated.subscriber().unsafeUpcast()));
  }

  private Effect<Event, Contents> answer(ActorRef<SharedMap.Reply> replyTo, SharedMap.Reply reply) {
    return Effect().none().thenRun(ignored -> replyTo.tell(reply));
  }
}
