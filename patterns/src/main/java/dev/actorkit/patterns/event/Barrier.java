package dev.actorkit.patterns.event;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A cyclic barrier as an actor, as Python's {@code threading.Barrier(parties, action, timeout)}:
 * {@code parties} callers {@link Await} at it, and when the last arrives they all pass together,
 * generation after generation.
 *
 * <ul>
 *   <li><b>Passing</b>: the arrival that completes a generation first has the optional barrier
 *       action run (once per generation), then every party is answered {@link Passed} with its
 *       arrival index (0 for the first to arrive, {@code parties - 1} for the last) and the
 *       generation, in arrival order. The next arrival belongs to the next generation.
 *   <li><b>Breaking</b>: if a waiting party's timeout runs out, that party hears {@link TimedOut}
 *       and every other waiting party hears {@link Broken}; if a waiting party dies (it is
 *       watched), the others hear {@code Broken}; if the action throws (an {@code Error} too),
 *       every party of that generation hears {@code Broken}. A broken barrier answers every later
 *       {@code Await} with {@code Broken} at once, until {@link Reset}.
 *   <li><b>Reset</b> re-arms the barrier in a new generation; parties waiting then hear {@code
 *       Broken}. {@link Abort} breaks it on purpose.
 *   <li><b>Refusals</b>: a missing or negative timeout is answered {@link Rejected}.
 * </ul>
 *
 * <p>The action is user code, so it never runs on the barrier's thread: it runs on the kit's
 * blocking dispatcher, and may block. While it runs the generation is full and waits for it: every
 * other message (a next arrival, a timer, a reset) is kept and handled once the action has returned
 * and the parties were answered. Timeouts are story time. A party that dies while not waiting goes
 * unnoticed: the others then break the barrier by their timeouts, as Python's do.
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

  /**
   * The answer to {@link Reset}: the new generation and how many waiting parties heard {@code
   * Broken}.
   */
  public record WasReset(long generation, int brokenWaiters) implements Reply {}

  /** The answer to {@link Abort}: how many waiting parties heard {@code Broken}. */
  public record Aborted(int brokenWaiters) implements Reply {}

  /** The answer to {@link GetStatus}. */
  public record Status(int parties, int waiting, long generation, boolean broken)
      implements Reply {}

  /** The request was refused and nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  private record WaitExpired(long id) implements Command {}

  private record PartyTerminated(ActorRef<Reply> party) implements Command {}

  /**
   * The barrier action of {@code generation} returned; {@code failure} is what it threw, or null.
   */
  private record ActionDone(long generation, ActorRef<Reply> last, Throwable failure)
      implements Command {}

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
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(
        context ->
            Behaviors.withStash(Integer.MAX_VALUE, stash -> new Barrier(context, stash, settings)));
  }

  private final BarrierState<ActorRef<Reply>, Cancellable> state;
  private final Runnable action;
  private final StashBuffer<Command> stash;
  private final ParkedWaits<Command, Reply> waits;
  private final Tracer tracer;

  private Barrier(ActorContext<Command> context, StashBuffer<Command> stash, Settings settings) {
    super(context);
    this.stash = stash;
    this.state = new BarrierState<>(settings.parties());
    this.action = settings.action();
    this.waits =
        new ParkedWaits<>(
            context, WaitExpired::new, PartyTerminated::new, Rejected::new, TimedOut::new);
    this.tracer = Tracer.get(context.getSystem());
    level();
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
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(),
          TraceKind.WAITING,
          party,
          "for the others (" + state.waiting() + "/" + state.parties() + " here)");
      level();
    }
    return this;
  }

  private Behavior<Command> trip(ActorRef<Reply> last) {
    if (action == null) {
      return pass(last, state.generation());
    }
    long generation = state.generation();
    Runnable userAction = action;
    getContext()
        .pipeToSelf(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    userAction.run();
                  } catch (Error fatal) {
                    // Fails the stage like any exception; the barrier breaks instead of dying.
                    throw new CompletionException(fatal);
                  }
                },
                KitDispatcher.BLOCKING.executor(getContext().getSystem())),
            (done, failure) -> new ActionDone(generation, last, failure));
    return runningAction();
  }

  /** While the action runs: the generation is full; everything else waits until it is done. */
  private Behavior<Command> runningAction() {
    return Behaviors.receive(Command.class)
        .onMessage(ActionDone.class, this::onActionDone)
        .onAnyMessage(
            command -> {
              stash.stash(command);
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> onActionDone(ActionDone done) {
    if (done.failure() == null) {
      pass(done.last(), done.generation());
    } else {
      Throwable cause =
          done.failure() instanceof CompletionException && done.failure().getCause() != null
              ? done.failure().getCause()
              : done.failure();
      getContext()
          .getLog()
          .debug("Barrier action failed in generation {}", done.generation(), cause);
      String reason = "the barrier action failed: " + cause;
      done.last().tell(new Broken(done.generation(), reason));
      tell(state.breakBarrier(), reason);
    }
    return stash.unstashAll(this);
  }

  private Behavior<Command> pass(ActorRef<Reply> last, long generation) {
    BarrierState.Tripped<ActorRef<Reply>, Cancellable> tripped = state.trip();
    int index = 0;
    for (WaitList.Entry<ActorRef<Reply>, Cancellable> entry : tripped.waiters()) {
      entry.who().tell(new Passed(index++, generation));
    }
    last.tell(new Passed(index, generation));
    if (tracer.enabled()) {
      for (WaitList.Entry<ActorRef<Reply>, Cancellable> entry : tripped.waiters()) {
        tracer.emit(
            getContext().getSelf(), TraceKind.WOKE, entry.who(), "generation " + generation);
      }
      tracer.emit(getContext().getSelf(), "passed", last, "generation " + generation + ", last in");
      level();
    }
    waits.forget(tripped.waiters());
    return this;
  }

  private Behavior<Command> onReset(Reset reset) {
    List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiting = state.reset();
    tell(waiting, "the barrier was reset");
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(), "reset", reset.replyTo(), "generation " + state.generation());
    }
    reset.replyTo().tell(new WasReset(state.generation(), waiting.size()));
    return this;
  }

  /** Parties waiting now, as a {@code level} event: the barrier's line on a timeline. */
  private void level() {
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.waiting());
    }
  }

  private Behavior<Command> onAbort(Abort abort) {
    List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiting = state.breakBarrier();
    tell(waiting, "the barrier was aborted");
    abort.replyTo().tell(new Aborted(waiting.size()));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(new Status(state.parties(), state.waiting(), state.generation(), state.isBroken()));
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    BarrierState.Broke<ActorRef<Reply>, Cancellable> broke = state.expire(expired.id());
    if (broke != null) {
      ActorRef<Reply> late = broke.cause().who();
      late.tell(new TimedOut(broke.cause().timeout()));
      getContext().unwatch(late);
      tracer.emit(getContext().getSelf(), TraceKind.TIMED_OUT, late, broke.cause().timeout());
      tell(broke.others(), tracer.participantName(late) + " timed out at the barrier");
    }
    return this;
  }

  private Behavior<Command> onPartyTerminated(PartyTerminated terminated) {
    BarrierState.Broke<ActorRef<Reply>, Cancellable> broke = state.partyDied(terminated.party());
    if (broke != null) {
      broke.cause().attachment().cancel();
      tracer.emit(
          getContext().getSelf(), TraceKind.DROPPED, terminated.party(), "it died at the barrier");
      tell(broke.others(), tracer.participantName(terminated.party()) + " died at the barrier");
    }
    return this;
  }

  /** Answers {@code Broken} to each, then cancels their timers and stops watching them. */
  private void tell(List<WaitList.Entry<ActorRef<Reply>, Cancellable>> waiters, String reason) {
    waits.tellEach(waiters, new Broken(state.generation(), reason));
    if (!waiters.isEmpty() && tracer.enabled()) {
      tracer.emit(getContext().getSelf(), "broken", reason);
      for (WaitList.Entry<ActorRef<Reply>, Cancellable> entry : waiters) {
        tracer.emit(getContext().getSelf(), TraceKind.DROPPED, entry.who(), "broken: " + reason);
      }
    }
    level();
    waits.forget(waiters);
  }
}
