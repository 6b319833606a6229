package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.CommandHandlerBuilderByState;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.manager.RequestWindow;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@link DurableSharedMap} and {@link DurableSharedList} share: the journal of writes with
 * their request ids, the subscriptions kept in it, and how a write is answered once its event is
 * written. The contract is written once, in {@link DurableSharedMap}'s Javadoc; a subclass supplies
 * its protocol's commands and its pure state's rules.
 *
 * @param <W> a write of the pure state, as journaled (without its reply address)
 * @param <R> the protocol's reply
 * @param <C> the change told to subscribers
 * @param <S> the pure state the events are replayed through
 */
abstract class DurableCollection<W extends KitMessage, R, C, S>
    extends EventSourcedBehavior<
        Object, DurableCollection.Event, DurableCollection.Contents<S, R, C>> {

  /** What the journal of a map or a list holds. */
  public sealed interface Event extends KitMessage {}

  /**
   * {@code write} reached the contents: applied, or refused inside a {@code Once} whose {@code
   * requestId} (null for a plain write) remembers the answer.
   */
  public record Written(String requestId, KitMessage write) implements Event {}

  /** {@code subscriber} is told every later change. */
  public record SubscriberAdded(ActorRef<?> subscriber) implements Event {}

  /** {@code subscriber} unsubscribed, or died. */
  public record SubscriberRemoved(ActorRef<?> subscriber) implements Event {}

  /** A watched subscriber stopped, or its node is gone. */
  private record SubscriberTerminated(ActorRef<?> subscriber) {}

  /** What applying a write did: the writer's answer, and the change to tell (null for none). */
  protected record Applied<R, C>(R reply, C changed) {}

  /**
   * The state the journal rebuilds: the pure state, the answers remembered under request ids, the
   * subscribers, and what the write last applied did (so the command that wrote it can answer).
   * Mutable, as the event handler changes it in place; it belongs to one entity. Akka starts every
   * recovery, a restart's too, from the one object {@code emptyState} gave, so that one ({@code
   * pristine}) is never changed: the first event is applied to a new one.
   */
  public static final class Contents<S, R, C> {
    private final boolean pristine;
    private final Supplier<S> fresh;
    private final int remembered;
    final S elements;
    private final RequestWindow<R> answered;
    private final Set<ActorRef<C>> subscribers = new LinkedHashSet<>();
    private Applied<R, C> last;

    private Contents(boolean pristine, Supplier<S> fresh, int remembered) {
      this.pristine = pristine;
      this.fresh = fresh;
      this.remembered = remembered;
      this.elements = fresh.get();
      this.answered = new RequestWindow<>(remembered);
    }

    /** These contents, or new ones to change if these are the pristine ones. */
    private Contents<S, R, C> toChange() {
      return pristine ? new Contents<>(false, fresh, remembered) : this;
    }
  }

  private final ActorContext<Object> context;
  private final Tracer tracer;
  private final EntityWatch watch;
  private final int remembered;

  /** The write pending, known by the sequence number its event will have. */
  private final PendingWrite<Long> pending = new PendingWrite<>();

  /** The contents as last recovered, for the answer of a write settled after a restart. */
  private Contents<S, R, C> current;

  protected DurableCollection(
      String kind, String name, int remembered, ActorContext<Object> context) {
    super(PersistenceId.of(kind, name), PendingWrite.ON_WRITE_FAILURE);
    this.context = context;
    this.remembered = remembered;
    this.tracer = Tracer.get(context.getSystem());
    this.watch = new EntityWatch(context, SubscriberTerminated::new);
  }

  /** A new, empty pure state. */
  protected abstract S newElements();

  /** Why {@code write} is refused for its input, or null if it is not. */
  protected abstract String refusal(S elements, W write);

  /** Applies {@code write} (a refusal inside a {@code Once} is applied as its answer). */
  protected abstract Applied<R, C> apply(S elements, W write);

  /** {@code write} described, to tell a request id reused for another write. */
  protected abstract String describe(W write);

  /** The protocol's refusal. */
  protected abstract R rejected(String why);

  /** The protocol's answer to a subscribe ({@code true}) or unsubscribe ({@code false}). */
  protected abstract R subscribed(boolean subscribed);

  /** What the trace shows of a change: the key or index it changed. */
  protected abstract Object changedAt(C changed);

  /**
   * Adds the protocol's commands — reads answered with {@link #answer}, writes sent to {@link
   * #write}, subscriptions to {@link #subscribe} and {@link #unsubscribe} — to {@code commands}.
   */
  protected abstract void commands(
      CommandHandlerBuilderByState<Object, Event, Contents<S, R, C>, Contents<S, R, C>> commands);

  @Override
  public final String journalPluginId() {
    return DurableKit.JOURNAL;
  }

  @Override
  public final String snapshotPluginId() {
    return DurableKit.SNAPSHOT_STORE;
  }

  @Override
  public final Contents<S, R, C> emptyState() {
    return new Contents<>(true, this::newElements, remembered);
  }

  @Override
  public final CommandHandler<Object, Event, Contents<S, R, C>> commandHandler() {
    var commands = newCommandHandlerBuilder().forAnyState();
    commands(commands);
    return commands.onCommand(SubscriberTerminated.class, this::onSubscriberTerminated).build();
  }

  @Override
  @SuppressWarnings("unchecked") // the journal holds only this collection's writes and subscribers
  public final EventHandler<Contents<S, R, C>, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Written.class,
            (state, written) -> {
              Contents<S, R, C> contents = state.toChange();
              W write = (W) written.write();
              contents.last = apply(contents.elements, write);
              if (written.requestId() != null) {
                contents.answered.remember(
                    written.requestId(), describe(write), contents.last.reply());
              }
              return contents;
            })
        .onEvent(
            SubscriberAdded.class,
            (state, added) -> {
              Contents<S, R, C> contents = state.toChange();
              contents.subscribers.add((ActorRef<C>) added.subscriber());
              return contents;
            })
        .onEvent(
            SubscriberRemoved.class,
            (state, removed) -> {
              Contents<S, R, C> contents = state.toChange();
              contents.subscribers.remove(removed.subscriber());
              return contents;
            })
        .build();
  }

  @Override
  public final SignalHandler<Contents<S, R, C>> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PreRestart.instance(),
            contents -> {
              pending.failed();
              watch.forgetAll();
            })
        .onSignal(
            RecoveryCompleted.instance(),
            contents -> {
              current = contents;
              contents.subscribers.forEach(watch::watchRecovered);
              // A write that failed was made if the journal has its event: the last one replayed.
              pending.recovered(lastSequenceNumber(context));
            })
        .build();
  }

  /**
   * Answers at once what needs no event (a plain write refused for its input, a request id that has
   * its answer already), else writes {@code write} and then answers as it was applied.
   *
   * @param requestId the {@code Once}'s request id, or null for a plain write
   */
  protected final Effect<Event, Contents<S, R, C>> write(
      Contents<S, R, C> contents, String requestId, W write, ActorRef<R> replyTo) {
    if (requestId == null) {
      String refusal = refusal(contents.elements, write);
      if (refusal != null) {
        return answer(replyTo, rejected(refusal));
      }
    } else {
      R known = contents.answered.recall(requestId, describe(write), this::rejected);
      if (known != null) {
        return answer(replyTo, known);
      }
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> applied(current, replyTo), // its event was the last one replayed
        () -> replyTo.tell(rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new Written(requestId, write))
        .thenRun(
            (Contents<S, R, C> after) -> {
              pending.done();
              applied(after, replyTo);
            });
  }

  /** Tells the subscribers of the change the last write made, then answers its writer. */
  private void applied(Contents<S, R, C> contents, ActorRef<R> replyTo) {
    C changed = contents.last.changed();
    if (changed != null) {
      if (tracer.enabled()) {
        tracer.emit(context.getSelf(), "set", changedAt(changed));
      }
      contents.subscribers.forEach(subscriber -> subscriber.tell(changed));
    }
    replyTo.tell(contents.last.reply());
  }

  /** Journals {@code subscriber}, then watches it and answers {@code Subscribed(true)}. */
  protected final Effect<Event, Contents<S, R, C>> subscribe(
      Contents<S, R, C> contents, ActorRef<C> subscriber, ActorRef<R> replyTo) {
    if (subscriber == null) {
      return answer(replyTo, rejected("a subscriber must not be null"));
    }
    if (contents.subscribers.contains(subscriber)) {
      return answer(replyTo, subscribed(true));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> replyTo.tell(subscribed(true)), // watched again by the recovery
        () -> replyTo.tell(rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberAdded(subscriber))
        .thenRun(
            (Contents<S, R, C> after) -> {
              pending.done();
              watch.watch(subscriber);
              replyTo.tell(subscribed(true));
            });
  }

  /** Journals that {@code subscriber} left, then stops watching it and answers. */
  protected final Effect<Event, Contents<S, R, C>> unsubscribe(
      Contents<S, R, C> contents, ActorRef<C> subscriber, ActorRef<R> replyTo) {
    if (subscriber == null || !contents.subscribers.contains(subscriber)) {
      return answer(replyTo, subscribed(false));
    }
    Runnable done =
        () -> {
          watch.unwatchUnless(false, subscriber);
          replyTo.tell(subscribed(false));
        };
    pending.expect(
        lastSequenceNumber(context) + 1,
        done,
        () -> replyTo.tell(rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new SubscriberRemoved(subscriber))
        .thenRun(
            (Contents<S, R, C> after) -> {
              pending.done();
              done.run();
            });
  }

  /**
   * A subscriber died: it is dropped from the journal too, so that no later recovery watches it
   * again. If that write fails, the recovery finds it dead again.
   */
  private Effect<Event, Contents<S, R, C>> onSubscriberTerminated(
      Contents<S, R, C> contents, SubscriberTerminated terminated) {
    watch.died(terminated.subscriber());
    if (!contents.subscribers.contains(terminated.subscriber())) {
      return Effect().none();
    }
    return Effect().persist(new SubscriberRemoved(terminated.subscriber()));
  }

  /** Answers {@code replyTo} with {@code reply}, writing nothing. */
  protected final Effect<Event, Contents<S, R, C>> answer(ActorRef<R> replyTo, R reply) {
    return Effect().none().thenRun(ignored -> replyTo.tell(reply));
  }

  /** A {@code Once} that carries no write with a reply address is logged and dropped. */
  protected final Effect<Event, Contents<S, R, C>> malformedOnce(Object once) {
    context.getLog().warn("Once carries no write with a reply address: {}", once);
    return Effect().none();
  }
}
