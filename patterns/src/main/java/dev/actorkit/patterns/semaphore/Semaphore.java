package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A counting semaphore as an actor: Python's {@code threading.BoundedSemaphore} (or, unbounded,
 * {@code threading.Semaphore}) and {@code java.util.concurrent.Semaphore}.
 *
 * <p><b>Owners.</b> Every acquire and release names an {@code owner}, the actor on whose behalf the
 * permits are held (an actor passes {@code getContext().getSelf()}; {@link SemaphoreClient} makes a
 * short-lived owner actor per permit for plain Java). Replies go to {@code replyTo}.
 *
 * <p><b>Ordering and fairness: strict FIFO.</b> Requests are granted in the order they arrive. A
 * request is granted at once only when nobody waits and enough permits are free; otherwise it
 * queues. Released permits go to the head of the queue while its request fits; a head that does not
 * fit yet blocks everyone behind it, so a large request is never starved by small ones that arrive
 * after it (they may not barge past it). See {@link SemaphoreState}.
 *
 * <p><b>Timeouts.</b> {@link TryAcquire} waits at most its timeout (story time, enforced by this
 * actor's timer, converted with {@link KitClock#toReal}); when it passes the waiter leaves the
 * queue and gets {@link TimedOut}; a zero timeout never queues. {@link Acquire} waits until it is
 * granted or its owner dies.
 *
 * <p><b>Death.</b> The semaphore watches every owner. When one stops, the permits it held come back
 * and its waits leave the queue, without replies; the waiters behind are granted as usual.
 *
 * <p><b>Refusals.</b> A request for zero, a negative number or more permits than the semaphore has,
 * a negative timeout, and (bounded) a release of more permits than the owner holds get {@link
 * Rejected}, and nothing changes.
 *
 * <p><b>Fencing tokens.</b> Each {@link Granted} carries a token greater than every earlier grant's
 * (see {@link SemaphoreState}); {@link Permit#token()} gives it to plain Java.
 *
 * <p>Each grant costs O(1) work however many waiters are queued.
 */
public final class Semaphore extends AbstractOnMessageBehavior<Semaphore.Command> {

  /** How a semaphore starts. */
  public record Settings(int permits, boolean bounded) {
    public Settings {
      if (permits < 1) {
        throw new IllegalArgumentException("a semaphore needs at least one permit, got " + permits);
      }
    }

    /**
     * A bounded semaphore (Python's {@code BoundedSemaphore}): releasing more than is held is
     * refused.
     */
    public static Settings bounded(int permits) {
      return new Settings(permits, true);
    }

    /** An unbounded semaphore (Python's {@code Semaphore}): extra releases add permits. */
    public static Settings unbounded(int permits) {
      return new Settings(permits, false);
    }
  }

  /** Everything a semaphore understands. */
  public sealed interface Command extends KitMessage {}

  /** Waits, in FIFO order, until {@code permits} are granted to {@code owner} or the owner dies. */
  public record Acquire(int permits, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Like {@link Acquire} but waits at most {@code timeout} (story time); then {@link TimedOut}. A
   * zero timeout takes the permits only if they can be granted at once.
   */
  public record TryAcquire(
      int permits, Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {}

  /** Gives back {@code permits} held by {@code owner}; answered with {@link Released}. */
  public record Release(int permits, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {}

  /** Asks for the number of free permits; answered with {@link Permits}. */
  public record Available(ActorRef<Reply> replyTo) implements Command {}

  /** Asks for holders and waiters; answered with {@link StatusReport}. */
  public record Status(ActorRef<Reply> replyTo) implements Command {}

  /** What a semaphore answers. */
  public sealed interface Reply extends KitMessage {}

  /**
   * The permits asked for are now held by the owner. {@code token} is this grant's fencing token:
   * every grant of this semaphore has a greater token than the grants before it, so a resource that
   * remembers the tokens it has seen can tell an old holder from a new one.
   */
  public record Granted(int permits, long token) implements Reply {}

  /** The permits were given back; {@code available} are free after waiters were served. */
  public record Released(int permits, int available) implements Reply {}

  /** Free permits now, out of {@code total}. */
  public record Permits(int available, int total) implements Reply {}

  /** One holder and the permits it holds. */
  public record Holding(ActorRef<?> owner, int permits) implements KitMessage {}

  /** One waiter and the permits it asks for. */
  public record Waiting(ActorRef<?> owner, int permits) implements KitMessage {}

  /**
   * Holders (in the order the semaphore first heard of them) with their permits, waiters in queue
   * order.
   */
  public record StatusReport(
      int total, int available, boolean bounded, List<Holding> holders, List<Waiting> waiters)
      implements Reply {
    public StatusReport {
      holders = List.copyOf(holders);
      waiters = List.copyOf(waiters);
    }
  }

  /** The request was refused; nothing changed. */
  public record Rejected(String reason) implements Reply, dev.actorkit.core.RejectedReply {}

  /** The wait ran out after {@code waited} (story time); the waiter has left the queue. */
  public record TimedOut(Duration waited) implements Reply, dev.actorkit.core.TimedOutReply {}

  private record WaitExpired(Waiter<ActorRef<?>, ActorRef<Reply>> waiter, Duration timeout)
      implements Command {}

  private record OwnerTerminated(ActorRef<?> owner) implements Command {}

  /** A semaphore with these settings. */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new Semaphore(context, timers, settings)));
  }

  private final TimerScheduler<Command> timers;
  private final SemaphoreState<ActorRef<?>, ActorRef<Reply>> state;
  private final KitClock clock;
  private final Tracer tracer;
  private final WaitQueue.OnGrant<ActorRef<?>, ActorRef<Reply>> onGranted = this::granted;
  private final Consumer<Waiter<ActorRef<?>, ActorRef<Reply>>> onDropped = this::dropped;

  private Semaphore(
      ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings) {
    super(context);
    this.timers = timers;
    this.state = new SemaphoreState<>(settings.permits(), settings.bounded());
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    level();
  }

  /**
   * A chain of instanceof tests, the commonest first, rather than a receive builder, whose cases
   * are tried one by one through reflection-free but indirect calls: 18 % of a contended grant's
   * samples were in the builder's dispatch.
   */
  @Override
  public Behavior<Command> onMessage(Command message) {
    if (message instanceof Acquire acquire) {
      return onAcquire(acquire);
    } else if (message instanceof Release release) {
      return onRelease(release);
    } else if (message instanceof TryAcquire acquire) {
      return onTryAcquire(acquire);
    } else if (message instanceof Available available) {
      return onAvailable(available);
    } else if (message instanceof Status status) {
      return onStatus(status);
    } else if (message instanceof WaitExpired expired) {
      return onWaitExpired(expired);
    } else if (message instanceof OwnerTerminated terminated) {
      return onOwnerTerminated(terminated);
    }
    return Behaviors.unhandled();
  }

  private Behavior<Command> onAcquire(Acquire acquire) {
    request(acquire.permits(), null, acquire.owner(), acquire.replyTo());
    return this;
  }

  private Behavior<Command> onTryAcquire(TryAcquire acquire) {
    if (acquire.timeout() == null || acquire.timeout().isNegative()) {
      acquire
          .replyTo()
          .tell(new Rejected("the timeout must be zero or positive, got " + acquire.timeout()));
      return this;
    }
    request(acquire.permits(), acquire.timeout(), acquire.owner(), acquire.replyTo());
    return this;
  }

  private void request(int permits, Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo) {
    String refusal = state.refuseAcquire(permits);
    if (refusal != null) {
      trace("rejected", owner, refusal);
      replyTo.tell(new Rejected(refusal));
      return;
    }
    if (tracer.enabled()) {
      trace("requested", owner, permits(permits));
    }
    if (state.canGrantNow(permits)) {
      watch(owner);
      boolean first = !tracer.enabled() || state.heldBy(owner) == 0;
      long token = state.grantNow(owner, permits);
      traceGrant(owner, permits, token, first);
      replyTo.tell(new Granted(permits, token));
      level();
      return;
    }
    if (timeout != null && timeout.isZero()) {
      trace(TraceKind.TIMED_OUT, owner, "not free, and it would not wait");
      replyTo.tell(new TimedOut(timeout));
      return;
    }
    watch(owner);
    Waiter<ActorRef<?>, ActorRef<Reply>> waiter = state.enqueue(owner, permits, replyTo);
    if (tracer.enabled()) {
      trace(TraceKind.WAITING, owner, "for " + permits(permits));
    }
    if (timeout != null) {
      timers.startSingleTimer(waiter, new WaitExpired(waiter, timeout), clock.toReal(timeout));
    }
  }

  private Behavior<Command> onRelease(Release release) {
    String refusal = state.refuseRelease(release.owner(), release.permits());
    if (refusal != null) {
      trace("rejected", release.owner(), refusal);
      release.replyTo().tell(new Rejected(refusal));
      return this;
    }
    state.release(release.owner(), release.permits());
    if (tracer.enabled()) {
      int still = state.heldBy(release.owner());
      if (still == 0) {
        trace(TraceKind.RELEASED, release.owner(), permits(release.permits()));
      } else {
        trace(
            TraceKind.GAVE_BACK, release.owner(), permits(release.permits()) + ", holds " + still);
      }
    }
    level();
    state.grantWaiting(onGranted);
    release.replyTo().tell(new Released(release.permits(), state.available()));
    return this;
  }

  private Behavior<Command> onAvailable(Available available) {
    available.replyTo().tell(new Permits(state.available(), state.total()));
    return this;
  }

  private Behavior<Command> onStatus(Status status) {
    List<Holding> holders = new ArrayList<>();
    state.holders().forEach((owner, permits) -> holders.add(new Holding(owner, permits)));
    List<Waiting> waiters = new ArrayList<>();
    for (Map.Entry<ActorRef<?>, Integer> waiting : state.waitingPairs()) {
      waiters.add(new Waiting(waiting.getKey(), waiting.getValue()));
    }
    status
        .replyTo()
        .tell(
            new StatusReport(state.total(), state.available(), state.bounded(), holders, waiters));
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    if (state.cancel(expired.waiter())) {
      if (tracer.enabled()) {
        trace(TraceKind.TIMED_OUT, expired.waiter().owner(), "after " + expired.timeout());
      }
      expired.waiter().attachment().tell(new TimedOut(expired.timeout()));
      state.grantWaiting(onGranted);
    }
    return this;
  }

  private Behavior<Command> onOwnerTerminated(OwnerTerminated terminated) {
    int freed = state.ownerDied(terminated.owner(), onDropped);
    if (freed > 0) {
      getContext()
          .getLog()
          .debug("{} died holding {} permits; they come back", terminated.owner(), freed);
      if (tracer.enabled()) {
        trace(TraceKind.REVOKED, terminated.owner(), permits(freed) + " (its owner died)");
      }
      level();
    }
    state.grantWaiting(onGranted);
    return this;
  }

  /**
   * Watches an owner the state has no record of yet. The record (and the watch) stays until the
   * owner dies, so a busy owner costs no watch per grant and no map work beyond one lookup.
   */
  private void watch(ActorRef<?> owner) {
    if (!state.knows(owner)) {
      getContext().watchWith(owner, new OwnerTerminated(owner));
    }
  }

  private void granted(Waiter<ActorRef<?>, ActorRef<Reply>> waiter, long token) {
    timers.cancel(waiter);
    if (tracer.enabled()) {
      traceGrant(
          waiter.owner(), waiter.amount(), token, state.heldBy(waiter.owner()) == waiter.amount());
    }
    waiter.attachment().tell(new Granted(waiter.amount(), token));
    level();
  }

  private void dropped(Waiter<ActorRef<?>, ActorRef<Reply>> waiter) {
    timers.cancel(waiter);
    trace(TraceKind.DROPPED, waiter.owner(), "its owner died while waiting");
  }

  /**
   * Emits a trace event for {@code owner}; the detail says what, never who (the event names its
   * participant).
   */
  private void trace(String kind, ActorRef<?> owner, Object detail) {
    tracer.emit(getContext().getSelf(), kind, owner, detail);
  }

  /**
   * A grant: {@code granted} with its fencing token when it is the owner's first (it holds nothing
   * else here), so a timeline's holding span runs until the release that leaves it nothing.
   */
  private void traceGrant(ActorRef<?> owner, int permits, long token, boolean first) {
    if (tracer.enabled()) {
      String detail = permits(permits) + ", token " + token;
      trace(TraceKind.grant(first), owner, detail);
    }
  }

  /** The permits free now, as a {@code level} event: the room's line on a timeline. */
  private void level() {
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.available());
    }
  }

  /**
   * {@code 1 permit}, {@code 2 permits}: the words of every semaphore's trace, durable ones too.
   */
  public static String permits(int permits) {
    return permits == 1 ? "1 permit" : permits + " permits";
  }
}
