package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.state.RecoveryCompleted;
import akka.persistence.typed.state.javadsl.CommandHandler;
import akka.persistence.typed.state.javadsl.Effect;
import akka.persistence.typed.state.javadsl.SignalHandler;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.patterns.event.Event;
import java.time.Duration;

/**
 * An event whose state outlives the JVM that hosts it: the {@link Event} protocol, kept as one
 * {@link EventRecord} in the durable store and replaced on every change before anyone hears of it.
 * {@link DurableKit#event} reaches it by name, through the same {@code EventClient}. It starts
 * clear, as Python's {@code threading.Event()}.
 *
 * <p><b>What it keeps.</b> Whether it is set, and the pending waits with their deadlines: after its
 * host dies it starts on another node as it was, watches its waiters again (a dead waiter's waits
 * are dropped) and answers the waits whose deadlines passed meanwhile with {@code TimedOut}; a
 * {@code Set} after the move still wakes everyone who waited before it.
 *
 * <p><b>What it answers</b>, as {@link Event} does: {@code Set} wakes every pending waiter once, in
 * the order they began to wait ({@code Fired}), answered {@code WasSet}; {@code Wait} on a set
 * event answers {@code Fired} at once, and a zero timeout polls; {@code Clear} re-arms it; {@code
 * IsSet} answers {@code Status}. A missing or negative timeout is refused. Setting a set event and
 * clearing a clear one write nothing.
 *
 * <p><b>When the store fails</b>, as for {@link DurableMutex}: the change is not made, and its
 * caller is answered {@code Rejected}.
 */
public final class DurableEvent extends DurableEntity<EventRecord> {

  /** The kind of persistence id and sharding entity: {@code actorkit-event|name}. */
  public static final String KIND = "actorkit-event";

  /** The waits up to {@code lastWaitId} have been told {@code Fired}: drop them. */
  private record Woken(long lastWaitId) {}

  /** The event named {@code name}, kept under {@code actorkit-event|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DurableEvent(PersistenceId.of(KIND, name), context, timers)));
  }

  private DurableEvent(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, context, timers);
  }

  @Override
  public EventRecord emptyState() {
    return EventRecord.EMPTY;
  }

  @Override
  public CommandHandler<Object, EventRecord> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Event.Set.class, this::onSet)
        .onCommand(Event.Clear.class, this::onClear)
        .onCommand(
            Event.IsSet.class,
            (record, c) ->
                answer(
                    c.replyTo(),
                    new Event.Status(record.set(), record.set() ? 0 : record.waiters().size())))
        .onCommand(
            Woken.class,
            (record, c) ->
                record.waiters().isEmpty()
                    ? Effect().none()
                    : Effect().persist(record.wokenUpTo(c.lastWaitId())))
        .onCommand(Event.Wait.class, this::onWait)
        .onCommand(WaitExpired.class, this::onWaitExpired)
        .onCommand(OwnerTerminated.class, this::onWaiterTerminated)
        .build();
  }

  @Override
  public SignalHandler<EventRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), record -> restarting())
        .onSignal(
            RecoveryCompleted.instance(),
            record -> {
              if (record.set()) {
                // Set, and its waiters not yet dropped: the host that set it may have died before
                // it told them. Tell them (a second Fired is ignored by a caller that has one).
                wake(record);
              } else {
                for (EventRecord.Waiting waiting : record.waiters()) {
                  watch.watchRecovered(waiting.replyTo());
                  EntityWatch.restartTimer(
                      timers,
                      waiting.waitId(),
                      waiting.deadlineMillis(),
                      new WaitExpired(
                          waiting.waitId(),
                          clock.toStory(Duration.ofMillis(waiting.timeoutMillis()))));
                }
              }
              settle(record);
            })
        .build();
  }

  private Effect<EventRecord> onSet(EventRecord record, Event.Set set) {
    if (record.set()) {
      return answer(set.replyTo(), new Event.WasSet(0));
    }
    return write(
        record.fired(),
        () -> set.replyTo().tell(new Event.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          trace("set", record.waiters().size() + " woken");
          wake(record);
          set.replyTo().tell(new Event.WasSet(record.waiters().size()));
        });
  }

  /** Tells every listed waiter {@code Fired}, then has them dropped by a second write. */
  private void wake(EventRecord record) {
    Event.Fired fired = new Event.Fired(false);
    long last = 0;
    for (EventRecord.Waiting waiting : record.waiters()) {
      timers.cancel(waiting.waitId());
      trace(TraceKind.WOKE, waiting.replyTo(), "");
      waiting.replyTo().tell(fired);
      watch.unwatchUnless(false, waiting.replyTo());
      last = Math.max(last, waiting.waitId());
    }
    if (last > 0) {
      context.getSelf().tell(new Woken(last));
    }
  }

  private Effect<EventRecord> onClear(EventRecord record, Event.Clear clear) {
    if (!record.set()) {
      return answer(clear.replyTo(), new Event.Cleared(false));
    }
    return write(
        record.cleared(),
        () -> clear.replyTo().tell(new Event.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          trace("cleared", "");
          clear.replyTo().tell(new Event.Cleared(true));
        });
  }

  private Effect<EventRecord> onWait(EventRecord record, Event.Wait wait) {
    if (wait.timeout() == null || wait.timeout().isNegative()) {
      return answer(
          wait.replyTo(),
          new Event.Rejected("the timeout must be zero or positive, got " + wait.timeout()));
    }
    if (record.set()) {
      return answer(wait.replyTo(), new Event.Fired(true));
    }
    if (wait.timeout().isZero()) {
      return answer(wait.replyTo(), new Event.TimedOut(Duration.ZERO));
    }
    Duration real = clock.toReal(wait.timeout());
    EventRecord.Waiting waiting =
        new EventRecord.Waiting(
            wait.replyTo(), record.nextWaitId(), EntityWatch.deadlineOf(real), real.toMillis());
    return write(
        record.waiting(waiting),
        () -> wait.replyTo().tell(new Event.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          watch.watch(wait.replyTo());
          trace(TraceKind.WAITING, wait.replyTo(), "");
          EntityWatch.restartTimer(
              timers,
              waiting.waitId(),
              waiting.deadlineMillis(),
              new WaitExpired(waiting.waitId(), wait.timeout()));
        });
  }

  private Effect<EventRecord> onWaitExpired(EventRecord record, WaitExpired expired) {
    EventRecord.Waiting leaving = record.waitOf(expired.waitId());
    if (leaving == null) {
      return Effect().none();
    }
    EventRecord after = record.withoutWait(expired.waitId());
    return change(
        after,
        () -> {
          trace(TraceKind.TIMED_OUT, leaving.replyTo(), "");
          leaving.replyTo().tell(new Event.TimedOut(expired.waited()));
          watch.unwatchUnless(after.involves(leaving.replyTo()), leaving.replyTo());
        });
  }

  private Effect<EventRecord> onWaiterTerminated(EventRecord record, OwnerTerminated terminated) {
    watch.died(terminated.owner());
    if (!record.involves(terminated.owner())) {
      return Effect().none();
    }
    return change(
        record.without(terminated.owner()),
        () -> {
          trace(TraceKind.DROPPED, terminated.owner(), "its owner died");
          record.waiters().stream()
              .filter(waiting -> waiting.replyTo().equals(terminated.owner()))
              .forEach(waiting -> timers.cancel(waiting.waitId()));
        });
  }

  private Effect<EventRecord> answer(ActorRef<Event.Reply> replyTo, Event.Reply reply) {
    return Effect().none().thenRun(() -> replyTo.tell(reply));
  }
}
