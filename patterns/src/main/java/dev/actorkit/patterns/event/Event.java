package dev.actorkit.patterns.event;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;

/**
 * An event flag, as Python's {@code threading.Event} and {@code asyncio.Event}: waiters block until
 * someone sets it.
 *
 * <ul>
 *   <li>{@link Set} wakes every pending waiter exactly once ({@link Fired}), in the order they
 *       began to wait, and leaves the event set; setting a set event wakes nobody.
 *   <li>{@link Wait} on a set event answers {@link Fired} at once; on a clear event it waits until
 *       the next {@code Set} or its timeout, whichever comes first. A timeout of zero polls: {@code
 *       Fired} if set, otherwise {@link TimedOut} at once.
 *   <li>{@link Clear} re-arms the event: later waits block again. Waits answered before the clear
 *       stay answered.
 *   <li><b>Timeout</b>: the event's own timer answers {@link TimedOut} and the wait is gone; a
 *       later {@code Set} does not answer it again.
 *   <li><b>Death</b>: every waiter is watched; when it stops, its waits are dropped (O(1) each) and
 *       its timers cancelled.
 *   <li><b>Refusals</b>: a missing or negative timeout is answered {@link Rejected}, and nothing
 *       changes.
 * </ul>
 *
 * <p>Timeouts are story time on the kit clock. Waking {@code n} waiters costs {@code n} tells and
 * {@code n} timer cancellations: linear, with no per-waiter allocation beyond the {@code Fired}
 * message (which is shared).
 */
public final class Event extends AbstractBehavior<Event.Command> {

  /** Everything an event understands. */
  public sealed interface Command extends KitMessage {}

  /** Sets the event and wakes every waiter; answered with {@link WasSet}. */
  public record Set(ActorRef<Reply> replyTo) implements Command {}

  /** Clears the event; answered with {@link Cleared}. */
  public record Clear(ActorRef<Reply> replyTo) implements Command {}

  /** Asks whether the event is set; answered with {@link Status}. */
  public record IsSet(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Waits until the event is set, at most {@code timeout} (story time); answered with {@link
   * Fired}, {@link TimedOut} or {@link Rejected}. {@code replyTo} is watched while it waits.
   */
  public record Wait(Duration timeout, ActorRef<Reply> replyTo) implements Command {}

  /** Every answer an event gives. */
  public sealed interface Reply extends KitMessage {}

  /** The event is set: at once ({@code immediately}) or by a later {@code Set}. */
  public record Fired(boolean immediately) implements Reply {}

  /** The answer to {@link Set}: how many pending waiters it woke (0 if it was already set). */
  public record WasSet(int woken) implements Reply {}

  /** The answer to {@link Clear}: whether the event had been set. */
  public record Cleared(boolean wasSet) implements Reply {}

  /** The answer to {@link IsSet}: whether the event is set and how many wait for it. */
  public record Status(boolean set, int waiting) implements Reply {}

  /** The wait ran out of time before the event was set; the waiter no longer waits. */
  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  /** The request was refused and nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  private record WaitExpired(long id) implements Command {}

  private record WaiterTerminated(ActorRef<Reply> waiter) implements Command {}

  private static final Fired FIRED = new Fired(false);
  private static final Fired FIRED_AT_ONCE = new Fired(true);

  /**
   * How an event starts.
   *
   * @param initiallySet whether the event starts set (Python's starts clear)
   */
  public record Settings(boolean initiallySet) {
    /** A clear event, as {@code threading.Event()}. */
    public static Settings defaults() {
      return new Settings(false);
    }
  }

  /** An event with these settings. */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(context -> new Event(context, settings));
  }

  private final EventState<ActorRef<Reply>, Cancellable> state;
  private final ParkedWaits<Command, Reply> waits;
  private final Tracer tracer;

  private Event(ActorContext<Command> context, Settings settings) {
    super(context);
    this.state = new EventState<>(settings.initiallySet());
    this.waits =
        new ParkedWaits<>(
            context, WaitExpired::new, WaiterTerminated::new, Rejected::new, TimedOut::new);
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wait.class, this::onWait)
        .onMessage(Set.class, this::onSet)
        .onMessage(Clear.class, this::onClear)
        .onMessage(IsSet.class, this::onIsSet)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(WaiterTerminated.class, this::onWaiterTerminated)
        .build();
  }

  private Behavior<Command> onWait(Wait wait) {
    ActorRef<Reply> waiter = wait.replyTo();
    if (waits.refuses(waiter, wait.timeout())) {
      return this;
    }
    if (state.isSet()) {
      tracer.emit(getContext().getSelf(), TraceKind.WOKE, waiter, "it was set already");
      waiter.tell(FIRED_AT_ONCE);
      return this;
    }
    if (waits.park(waiter, wait.timeout(), state::await)) {
      tracer.emit(getContext().getSelf(), TraceKind.WAITING, waiter, "for the signal");
    }
    return this;
  }

  private Behavior<Command> onSet(Set set) {
    List<WaitList.Entry<ActorRef<Reply>, Cancellable>> woken = state.set();
    // Wake first, tidy up after: the waiters start running while the timers are cancelled.
    waits.tellEach(woken, FIRED);
    set.replyTo().tell(new WasSet(woken.size()));
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), "set", set.replyTo(), woken.size() + " woken");
    }
    waits.forgetWoken(woken);
    return this;
  }

  private Behavior<Command> onClear(Clear clear) {
    boolean was = state.clear();
    tracer.emit(getContext().getSelf(), "cleared", clear.replyTo(), was ? "was set" : "was clear");
    clear.replyTo().tell(new Cleared(was));
    return this;
  }

  private Behavior<Command> onIsSet(IsSet isSet) {
    isSet.replyTo().tell(new Status(state.isSet(), state.waiting()));
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    waits.timedOut(state.expire(expired.id()), state::isWaiting);
    return this;
  }

  private Behavior<Command> onWaiterTerminated(WaiterTerminated terminated) {
    waits.dropped(state.drop(terminated.waiter()));
    return this;
  }
}
