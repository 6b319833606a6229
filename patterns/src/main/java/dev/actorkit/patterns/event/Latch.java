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

/**
 * A count-down latch as an actor: the message form of {@code java.util.concurrent.CountDownLatch}
 * (and of the "wait for N things" idiom Python builds from a {@code Condition}). It starts at a
 * count; {@link CountDown} lowers it by one; {@link Await} waits until it reaches zero. It opens
 * once and stays open: it cannot be re-armed (use an {@link Event} or a {@link Barrier} for that).
 *
 * <ul>
 *   <li><b>Ordering</b>: the count-down that reaches zero answers every pending waiter {@link
 *       Opened}, in the order they began to wait, exactly once. An {@code Await} on an open latch
 *       is answered at once.
 *   <li><b>Refusals</b>: a {@code CountDown} at zero is answered {@link Rejected} (the count never
 *       goes below zero, unlike {@code java.util.concurrent.CountDownLatch}, which ignores it); a
 *       missing or negative timeout is {@code Rejected}. Nothing changes.
 *   <li><b>Timeout</b>: the latch's own timer answers {@link TimedOut}; the wait is gone.
 *   <li><b>Death</b>: every waiter is watched; when it stops its waits are dropped.
 * </ul>
 */
public final class Latch extends AbstractBehavior<Latch.Command> {

  /** Everything a latch understands. */
  public sealed interface Command extends KitMessage {}

  /**
   * Lowers the count by one; answered with {@link Count} (what remains) or {@link Rejected} at
   * zero.
   */
  public record CountDown(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Waits until the count is zero, at most {@code timeout} (story time); {@link Opened}, {@link
   * TimedOut} or {@link Rejected}.
   */
  public record Await(Duration timeout, ActorRef<Reply> replyTo) implements Command {}

  /** Asks for the count; answered with {@link Count}. */
  public record GetCount(ActorRef<Reply> replyTo) implements Command {}

  /** Every answer a latch gives. */
  public sealed interface Reply extends KitMessage {}

  /** The latch is open (its count is zero). */
  public record Opened(boolean immediately) implements Reply {}

  /** The count now, and how many wait for it to reach zero. */
  public record Count(long remaining, int waiting) implements Reply {}

  /** The wait ran out of time before the latch opened; the waiter no longer waits. */
  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  /** The request was refused and nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  private record WaitExpired(long id) implements Command {}

  private record WaiterTerminated(ActorRef<Reply> waiter) implements Command {}

  private static final Opened OPENED = new Opened(false);
  private static final Opened OPENED_AT_ONCE = new Opened(true);

  /**
   * How a latch starts.
   *
   * @param count how many count-downs open it; zero makes a latch that is open from the start
   */
  public record Settings(long count) {
    public Settings {
      if (count < 0) {
        throw new IllegalArgumentException("a latch's count must not be negative, was " + count);
      }
    }

    public static Settings of(long count) {
      return new Settings(count);
    }
  }

  /** A latch with these settings. */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(context -> new Latch(context, settings));
  }

  private final LatchState<ActorRef<Reply>, Cancellable> state;
  private final ParkedWaits<Command, Reply> waits;
  private final Tracer tracer;

  private Latch(ActorContext<Command> context, Settings settings) {
    super(context);
    this.state = new LatchState<>(settings.count());
    this.waits =
        new ParkedWaits<>(
            context, WaitExpired::new, WaiterTerminated::new, Rejected::new, TimedOut::new);
    this.tracer = Tracer.get(context.getSystem());
    level();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Await.class, this::onAwait)
        .onMessage(CountDown.class, this::onCountDown)
        .onMessage(GetCount.class, this::onGetCount)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(WaiterTerminated.class, this::onWaiterTerminated)
        .build();
  }

  private Behavior<Command> onAwait(Await await) {
    ActorRef<Reply> waiter = await.replyTo();
    if (waits.refuses(waiter, await.timeout())) {
      return this;
    }
    if (state.isOpen()) {
      waiter.tell(OPENED_AT_ONCE);
      return this;
    }
    if (waits.park(waiter, await.timeout(), state::await)) {
      tracer.emit(getContext().getSelf(), TraceKind.WAITING, waiter, "for the count to reach 0");
    }
    return this;
  }

  private Behavior<Command> onCountDown(CountDown countDown) {
    LatchState.CountedDown<ActorRef<Reply>, Cancellable> result = state.countDown();
    if (result.refused()) {
      countDown
          .replyTo()
          .tell(new Rejected("the count is already zero; a latch never counts below zero"));
      return this;
    }
    waits.tellEach(result.opened(), OPENED);
    countDown.replyTo().tell(new Count(result.remaining(), state.waiting()));
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(),
          "counted down",
          countDown.replyTo(),
          result.remaining() + " left");
      level();
    }
    waits.forgetWoken(result.opened());
    return this;
  }

  /** The count now, as a {@code level} event: the latch's line on a timeline. */
  private void level() {
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.count());
    }
  }

  private Behavior<Command> onGetCount(GetCount get) {
    get.replyTo().tell(new Count(state.count(), state.waiting()));
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
