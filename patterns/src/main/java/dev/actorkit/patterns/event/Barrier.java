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
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;

/**
 * A cyclic barrier as an actor, as Python's {@code threading.Barrier(parties, action, timeout)}:
 * {@code parties} callers {@link Await} at it, and when the last arrives they all pass together,
 * generation after generation.
 *
 * <ul>
 *   <li><b>Passing</b>: the arrival that completes a generation first runs the optional barrier
 *       action (once per generation), then answers every party {@link Passed} with its arrival
 *       index (0 for the first to arrive, {@code parties - 1} for the last) and the generation,
 *       in arrival order. The next arrival belongs to the next generation.
 *   <li><b>Breaking</b>: if a waiting party's timeout runs out, that party hears
 *       {@link TimedOut} and every other waiting party hears {@link Broken}; if a waiting party
 *       dies (it is watched), the others hear {@code Broken}; if the action throws, every
 *       party of that generation hears {@code Broken}. A broken barrier answers every later
 *       {@code Await} with {@code Broken} at once, until {@link Reset}.
 *   <li><b>Reset</b> re-arms the barrier in a new generation; parties waiting then hear
 *       {@code Broken}. {@link Abort} breaks it on purpose.
 *   <li><b>Refusals</b>: a missing or negative timeout is answered {@link Rejected}.
 * </ul>
 *
 * <p>The action runs inside the barrier's actor, before anyone is answered: it must be short
 * and must not block (send a message from it rather than do the work). Timeouts are story time.
 * A party that dies while not waiting goes unnoticed: the others then break the barrier by
 * their timeouts, as Python's do.
 */
public final class Barrier extends AbstractBehavior<Barrier.Command> {

  /** Everything a barrier understands. */
  public sealed interface Command extends KitMessage {}

  /** Arrives and waits for the generation to fill, at most {@code timeout} (story time). */
  public record Await(Duration timeout, ActorRef<Reply> replyTo) implements Command {}

  /** Re-arms the barrier in a new generation; answered with {@link WasReset}. */
  public record Reset(ActorRef<Reply> replyTo) implements Command {}

  /** Breaks the barrier on purpose; answered with {@link Aborted}. */
  public record Abort(ActorRef<Reply> replyTo) implements Command {}

  /** Asks for the barrier's status; answered with {@link Status}. */
  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  /** Every answer a barrier gives. */
  public sealed interface Reply extends KitMessage {}

  /** The generation filled and this party passed; {@code index} is its arrival position. */
  public record Passed(int index, long generation) implements Reply {}

  /** The barrier is broken (why, in words); the party did not pass. */
  public record Broken(long generation, String reason) implements Reply {}

  /** This party's wait ran out; the barrier is now broken for the others. */
  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  /** The answer to {@link Reset}: the new generation and how many waiting parties heard {@code Broken}. */
  public record WasReset(long generation, int brokenWaiters) implements Reply {}

  /** The answer to {@link Abort}: how many waiting parties heard {@code Broken}. */
  public record Aborted(int brokenWaiters) implements Reply {}

  /** The answer to {@link GetStatus}. */
  public record Status(int parties, int waiting, long generation, boolean broken) implements Reply {}

  /** The request was refused and nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  private record WaitExpired(long id) implements Command {}

  private record PartyTerminated(ActorRef<Reply> party) implements Command {}

  /**
   * How a barrier is made.
   *
   * @param parties how many arrivals fill a generation, at least 1
   * @param action run once per generation by the barrier when it fills, before anyone passes;
   *     {@code null} for none
   */
  public record Settings(int parties, Runnable action) {
    public Settings {
      if (parties < 1) {
        throw new IllegalArgumentException("a barrier needs at least one party, was " + parties);
      }
    }

    /** A barrier of {@code parties} without an action. */
    public static Settings of(int parties) {
      return new Settings(parties, null);
    }

    /** These settings with a barrier action. */
    public Settings withAction(Runnable action) {
      return new Settings(parties, action);
    }
  }

  /** A barrier with these settings. */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(context -> new Barrier(context, settings));
  }

  private final BarrierState<ActorRef<Reply>, Cancellable> state;
  private final Runnable action;
  private final ParkedWaits<Command, Reply> waits;
  private final Tracer tracer;

  private Barrier(ActorContext<Command> context, Settings settings) {
    super(context);
    this.state = new BarrierState<>(settings.parties());
    this.action = settings.action();
    this.waits = new ParkedWaits<>(context, WaitExpired::new, PartyTerminated::new, Rejected::new, TimedOut::new);
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Await.class, this::onAwait)
        .onMessage(Reset.class, this::onReset)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(PartyTerminated.class, this::onPartyTerminated)
        .build();
  }

  private Behavior<Command> onAwait(Await await) {
    ActorRef<Reply> party = await.replyTo();
    if (waits.refuses(party, await.timeout())) {
      return this;
    }
    if (state.isBroken()) {
      party.tell(new Broken(state.generation(), "the barrier is broken; reset it first"));
      return this;
    }
    if (state.nextArrivalTrips()) {
      return trip(party);
    }
    if (!waits.park(party, await.timeout(), state::await)) {
      tell(state.breakBarrier(), "a party would not wait (timeout zero)");
      return this;
    }
    tracer.emit(getContext().getSelf(), "waiting", party.path().name() + " (" + state.waiting() + "/" + state.parties() + ")");
    return this;
  }

  private Behavior<Command> trip(ActorRef<Reply> last) {
    long generation = state.generation();
    if (action != null) {
      try {
        action.run();
      } catch (RuntimeException e) {
        getContext().getLog().debug("Barrier action failed in generation {}", generation, e);
        String reason = "the barrier action failed: " + e;
        last.tell(new Broken(generation, reason));
        tell(state.breakBarrier(), reason);
        return this;
      }
    }
    BarrierState.Tripped<ActorRef<Reply>, Cancellable> tripped = state.trip();
    int index = 0;
    for (WaitList.Entry<ActorRef<Reply>, Cancellable> entry : tripped.waiters()) {
      entry.who().tell(new Passed(index++, generation));
    }
    last.tell(new Passed(index, generation));
    tracer.emit(getContext().getSelf(), "passed", "generation " + generation);
    waits.forget(tripped.waiters());
    return this;
  }

  private Behavior<Command> onReset(Reset reset) {
    List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiting = state.reset();
    tell(waiting, "the barrier was reset");
    tracer.emit(getContext().getSelf(), "reset", "generation " + state.generation());
    reset.replyTo().tell(new WasReset(state.generation(), waiting.size()));
    return this;
  }

  private Behavior<Command> onAbort(Abort abort) {
    List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiting = state.breakBarrier();
    tell(waiting, "the barrier was aborted");
    abort.replyTo().tell(new Aborted(waiting.size()));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo().tell(new Status(state.parties(), state.waiting(), state.generation(), state.isBroken()));
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    BarrierState.Broke<ActorRef<Reply>, Cancellable> broke = state.expire(expired.id());
    if (broke != null) {
      ActorRef<Reply> late = broke.cause().who();
      late.tell(new TimedOut(broke.cause().timeout()));
      getContext().unwatch(late);
      tell(broke.others(), late.path().name() + " timed out at the barrier");
    }
    return this;
  }

  private Behavior<Command> onPartyTerminated(PartyTerminated terminated) {
    BarrierState.Broke<ActorRef<Reply>, Cancellable> broke = state.partyDied(terminated.party());
    if (broke != null) {
      broke.cause().attachment().cancel();
      tell(broke.others(), terminated.party().path().name() + " died at the barrier");
    }
    return this;
  }

  /** Answers {@code Broken} to each, then cancels their timers and stops watching them. */
  private void tell(List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiters, String reason) {
    waits.tellEach(waiters, new Broken(state.generation(), reason));
    if (!waiters.isEmpty()) {
      tracer.emit(getContext().getSelf(), "broken", reason);
    }
    waits.forget(waiters);
  }
}
