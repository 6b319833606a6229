package dev.actorkit.patterns.mutex;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.deadlock.DeadlockDetector;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A mutual-exclusion lock as an actor: Python's {@code threading.Lock} (or {@code RLock} when
 * reentrant), with fencing tokens, leases and release on death.
 *
 * <p><b>Owners.</b> Every request names its owner, an {@code ActorRef}: an actor passes itself;
 * plain Java is represented by a short-lived owner actor ({@link LockOwner}). Replies go to {@code
 * replyTo}; the holder's later {@link Revoked} goes to the {@code replyTo} of the request that was
 * granted.
 *
 * <p><b>Ordering and fairness.</b> Strict FIFO: a free lock with nobody waiting is granted at once;
 * otherwise the request joins the back of the queue, and each release grants the first waiter in
 * the same step, so no later request can overtake it (no barging).
 *
 * <p><b>Fencing tokens.</b> Every new hold carries a token one greater than the previous hold's, so
 * tokens strictly increase over the mutex's life. A reentrant acquire returns the current hold's
 * token with a greater depth. Resources the lock guards (an {@code Account}) can refuse writes with
 * a token lower than one they have seen.
 *
 * <p><b>Timeouts.</b> {@link TryAcquire} waits at most its timeout (story time, enforced by this
 * actor's timer); when it passes the waiter leaves the queue and gets {@link TimedOut}. A zero
 * timeout only takes a free lock. {@link Acquire} waits until granted, the owner dies, or the
 * deadlock detector breaks its wait (use {@code TryAcquire} for a deadline; clients always do).
 *
 * <p><b>Death.</b> Every holder and waiter is watched: the holder's death releases the lock
 * (whatever its depth) and grants the next waiter at once; a dead waiter leaves the queue. An owner
 * that lives on but gives up a wait sends {@link Withdraw}.
 *
 * <p><b>Lease.</b> With {@link Settings#lease()} set, a hold that lasts longer than the lease is
 * ended: its holder is told {@link Revoked}, its token becomes stale, and the next waiter is
 * granted.
 *
 * <p><b>Refusals.</b> A release by anyone but the holder or with a stale token, a second acquire by
 * the holder of a non-reentrant lock (or past the reentrancy depth), or a second wait by the same
 * owner gets {@link Rejected}; nothing changes.
 *
 * <p><b>Conditions.</b> The holder may {@link Await} a named condition — giving the lock up — and a
 * later holder {@link Notify notifies} it: Python's {@code threading.Condition} over this lock,
 * with as many named conditions as needed (a basket's "not full" and "not empty"). Waiters are
 * woken first come first; a woken waiter gets the lock back in turn with the lock's other waiters,
 * at its old depth, with a new token. A waiter whose timeout passes gets the lock back too, told it
 * was not notified. Only the holder may wait or notify.
 *
 * <p><b>Deadlock detection.</b> With {@link Settings#detector()} set, the mutex reports its holder
 * and waiters to the detector whenever it is contended (one one-way message per change; none for an
 * uncontended acquire), and fails a waiter with {@link DeadlockDetected} when the detector picks it
 * to break a cycle.
 */
public final class Mutex extends AbstractOnMessageBehavior<Mutex.Command> {

  /** What a mutex understands. */
  public sealed interface Command extends KitMessage {}

  /** Take the lock for {@code owner}, waiting in FIFO order as long as it takes. */
  public record Acquire(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command {
    public Acquire {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Take the lock for {@code owner}, waiting at most {@code timeout} (story time). */
  public record TryAcquire(ActorRef<?> owner, Duration timeout, ActorRef<Reply> replyTo)
      implements Command {
    public TryAcquire {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * Give back one level of the hold {@code token}. Pass {@code ActorSystem.ignoreRef()} as {@code
   * replyTo} when the answer does not matter (a refusal is then dropped too): it saves a message
   * and a wake-up of the releaser per grant.
   */
  public record Release(ActorRef<?> owner, long token, ActorRef<Reply> replyTo) implements Command {
    public Release {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Ask who holds the lock, since when, with which token, and who waits. */
  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Tell {@code resource} every new fencing token as it is granted, before the new holder hears of
   * it, and the next token when a hold ends with nobody granted (released, revoked, or its holder
   * dead), so the resource refuses the previous holder's token from that moment on, not only once
   * the new holder has written (an {@code Account} made with {@code Settings.fencedBy} does this
   * itself). {@code resource} is watched and forgotten when it stops. No answer.
   */
  public record Guard(ActorRef<NewToken> resource) implements Command {}

  /** Sent to guarded resources: a hold was granted with {@code token}; lower tokens are stale. */
  public record NewToken(long token) implements KitMessage {}

  /**
   * Take back {@code owner}'s wait, if it has one; answered {@link Withdrawn}. A grant sent before
   * it reaches the mutex stays granted, and the owner gives it back: the mutex answers in order, so
   * the owner hears of such a grant before it hears {@code Withdrawn}.
   */
  public record Withdraw(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command {
    public Withdraw {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * The holder {@code owner} waits on the condition named {@code condition}, Python's {@code
   * Condition.wait(timeout)} ({@link ConditionClient} for plain Java): the lock is given up
   * whatever its depth, and the next waiter is granted. The owner waits until a holder notifies the
   * condition, or {@code timeout} (story time) passes; then it queues behind the lock's other
   * waiters, and is answered {@link Woken} once it holds the lock again — at its old depth, with a
   * new fencing token, notified or not. Rejected unless {@code owner} holds hold {@code token}. An
   * owner that dies meanwhile leaves the condition (and the lock's queue).
   */
  public record Await(
      String condition, ActorRef<?> owner, long token, Duration timeout, ActorRef<Reply> replyTo)
      implements Command {
    public Await {
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * The holder {@code owner} wakes up to {@code n} waiters of {@code condition}, first come first
   * ({@link Integer#MAX_VALUE} for all, Python's {@code notify_all()}); answered {@link Notified}.
   * The woken waiters get the lock back after the notifier releases it, in turn with the lock's
   * other waiters. Rejected unless {@code owner} holds hold {@code token}, or if {@code n} is not
   * positive.
   */
  public record Notify(
      String condition, ActorRef<?> owner, long token, int n, ActorRef<Reply> replyTo)
      implements Command {
    public Notify {
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  private record OwnerTerminated(ActorRef<?> owner) implements Command {}

  private record ConditionExpired(long waitId, Duration waited) implements Command {}

  private record WaitExpired(long waitId, Duration waited) implements Command {}

  private record LeaseExpired(long token) implements Command {}

  private record BreakWait(DeadlockDetector.Break order) implements Command {}

  /** Every answer of a mutex. */
  public sealed interface Reply extends KitMessage {}

  /** The lock is the owner's, with this fencing token, held {@code depth} times. */
  public record Granted(long token, int depth) implements Reply {}

  /**
   * One level of hold {@code token} was given back; the lock is free when {@code remainingDepth} is
   * 0.
   */
  public record Released(long token, int remainingDepth) implements Reply {}

  /** The hold {@code token} on {@code mutex} outlived its lease and was taken away. */
  public record Revoked(ActorRef<Command> mutex, long token, Duration lease) implements Reply {}

  /**
   * Answer to {@link Await}: the owner holds the lock again, with {@code token} at {@code depth};
   * {@code notified} is false if its wait ran out instead (Python's {@code wait} returns false).
   */
  public record Woken(long token, int depth, boolean notified) implements Reply {}

  /** Answer to {@link Notify}: how many waiters it woke. */
  public record Notified(int woken) implements Reply {}

  /** Answer to {@link Withdraw}: whether the owner was waiting (it is not any more). */
  public record Withdrawn(boolean wasWaiting) implements Reply {}

  /** Refused; nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /** The wait ran out after {@code waited} (story time); the waiter has left the queue. */
  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  /** The wait was failed to break a deadlock: owners and locks in cycle order. */
  public record DeadlockDetected(List<String> cycle) implements Reply {
    public DeadlockDetected {
      cycle = List.copyOf(cycle);
    }
  }

  /**
   * The lock now: its holder ({@code null} if free), since when (story time on the kit clock), the
   * hold's token and depth, and the waiters in the order they will be granted.
   */
  public record Status(
      ActorRef<?> holder,
      Duration heldSince,
      long token,
      int depth,
      List<ActorRef<?>> waiters,
      Map<String, List<ActorRef<?>>> conditionWaiters)
      implements Reply {
    public Status {
      waiters = List.copyOf(waiters);
      conditionWaiters = Map.copyOf(conditionWaiters);
    }

    /** The owners waiting on {@code condition}, first come first. */
    public List<ActorRef<?>> waitingOn(String condition) {
      return conditionWaiters.getOrDefault(condition, List.of());
    }
  }

  /**
   * How a mutex behaves.
   *
   * @param reentrant whether the holder may acquire again (Python's {@code RLock})
   * @param maxDepth how many nested holds a reentrant owner may have (1 when not reentrant)
   * @param lease how long a hold may last before it is revoked (story time), or {@code null} for no
   *     limit
   * @param detector the deadlock detector to report to, or {@code null} for no detection
   */
  public record Settings(
      boolean reentrant,
      int maxDepth,
      Duration lease,
      ActorRef<DeadlockDetector.Command> detector) {
    public Settings {
      if (maxDepth < 1) {
        throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
      }
      if (!reentrant && maxDepth != 1) {
        throw new IllegalArgumentException(
            "a mutex that is not reentrant has maxDepth 1, was " + maxDepth);
      }
      if (lease != null && (lease.isNegative() || lease.isZero())) {
        throw new IllegalArgumentException("a lease must be positive, was " + lease);
      }
    }

    /** Not reentrant, no lease, no deadlock detection. */
    public static Settings defaults() {
      return new Settings(false, 1, null, null);
    }

    /** These settings, reentrant up to {@code maxDepth} nested holds. */
    public Settings reentrant(int maxDepth) {
      return new Settings(true, maxDepth, lease, detector);
    }

    /** These settings, with holds revoked after {@code lease} (story time). */
    public Settings withLease(Duration lease) {
      return new Settings(reentrant, maxDepth, Objects.requireNonNull(lease, "lease"), detector);
    }

    /** These settings, reporting to {@code detector}. */
    public Settings withDetector(ActorRef<DeadlockDetector.Command> detector) {
      return new Settings(reentrant, maxDepth, lease, Objects.requireNonNull(detector, "detector"));
    }
  }

  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(context -> new Mutex(context, settings));
  }

  private final Settings settings;
  private final KitClock clock;
  private final Tracer tracer;
  private final MutexState<ActorRef<?>, ActorRef<Reply>> state;
  private final ActorRef<DeadlockDetector.Break> breaker;

  /** Owners watched so far; made on first use (an idle mutex carries no collections). */
  private Set<ActorRef<?>> watched;

  /** Resources told each new token ({@link Guard}); made on first use. */
  private Set<ActorRef<NewToken>> guarded;

  /** Deadline timers of timed waits, by wait id; made on first use. */
  private Map<Long, Cancellable> waitTimers;

  private Cancellable leaseTimer;
  private boolean reportedContended;
  private long nextWaitId;

  private Mutex(ActorContext<Command> context, Settings settings) {
    super(context);
    this.settings = settings;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.state = new MutexState<>(settings.reentrant(), settings.maxDepth());
    this.breaker =
        settings.detector() == null
            ? null
            : context.messageAdapter(DeadlockDetector.Break.class, BreakWait::new);
  }

  /*
   * A chain of instanceof tests rather than a receive builder: a built Receive holds one case
   * object and one bound lambda per message type in every mutex, about 400 bytes of an idle
   * actor's footprint, and an idle mutex is meant to cost little more than a bare actor.
   */
  @Override
  public Behavior<Command> onMessage(Command message) {
    if (message instanceof Acquire acquire) {
      return onAcquire(acquire);
    } else if (message instanceof Release release) {
      return onRelease(release);
    } else if (message instanceof TryAcquire acquire) {
      return onTryAcquire(acquire);
    } else if (message instanceof GetStatus query) {
      return onGetStatus(query);
    } else if (message instanceof Withdraw withdraw) {
      return onWithdraw(withdraw);
    } else if (message instanceof OwnerTerminated terminated) {
      return onOwnerTerminated(terminated);
    } else if (message instanceof WaitExpired expired) {
      return onWaitExpired(expired);
    } else if (message instanceof LeaseExpired expired) {
      return onLeaseExpired(expired);
    } else if (message instanceof BreakWait breakWait) {
      return onBreakWait(breakWait);
    } else if (message instanceof Await await) {
      return onAwait(await);
    } else if (message instanceof Notify notify) {
      return onNotify(notify);
    } else if (message instanceof ConditionExpired expired) {
      return onConditionExpired(expired);
    } else if (message instanceof Guard guard) {
      return onGuard(guard);
    }
    return Behaviors.unhandled();
  }

  @Override
  public Behavior<Command> onSignal(Signal signal) {
    if (signal instanceof PostStop) {
      return onPostStop();
    }
    return this;
  }

  private Behavior<Command> onGuard(Guard guard) {
    if (guard.resource() == null) {
      return this;
    }
    if (guarded == null) {
      guarded = new HashSet<>();
    }
    if (guarded.add(guard.resource())) {
      watch(guard.resource()); // one watch per ref, whether it is a resource, an owner or both
      if (state.lastToken() > 0) {
        // Granted before it asked: the current hold's token, or, if the lock is free, the next one
        // (the last holder's token is already stale).
        long fence = state.holder() != null ? state.lastToken() : state.lastToken() + 1;
        guard.resource().tell(new NewToken(fence));
      }
    }
    return this;
  }

  private Behavior<Command> onAcquire(Acquire acquire) {
    acquire(acquire.owner(), acquire.replyTo(), null);
    return this;
  }

  private Behavior<Command> onTryAcquire(TryAcquire acquire) {
    if (acquire.timeout().isNegative()) {
      acquire
          .replyTo()
          .tell(new Rejected("the timeout must not be negative, was " + acquire.timeout()));
      return this;
    }
    acquire(acquire.owner(), acquire.replyTo(), acquire.timeout());
    return this;
  }

  private void acquire(ActorRef<?> owner, ActorRef<Reply> replyTo, Duration timeout) {
    tracer.emit(getContext().getSelf(), "requested", owner, "");
    long waitId = ++nextWaitId;
    boolean mayWait = timeout == null || !timeout.isZero();
    MutexState.AcquireResult<ActorRef<?>, ActorRef<Reply>> result =
        state.acquire(owner, replyTo, waitId, requestStamp(), mayWait);
    if (result.rejected()) {
      replyTo.tell(new Rejected(result.rejection()));
      return;
    }
    if (result.grant() != null) {
      watch(owner);
      granted(result.grant());
      return;
    }
    if (!result.queued()) {
      tracer.emit(getContext().getSelf(), TraceKind.TIMED_OUT, owner, "held; it would not wait");
      replyTo.tell(new TimedOut(Duration.ZERO));
      return;
    }
    watch(owner);
    if (timeout != null) {
      if (waitTimers == null) {
        waitTimers = new HashMap<>();
      }
      waitTimers.put(
          waitId,
          getContext()
              .scheduleOnce(
                  clock.toReal(timeout), getContext().getSelf(), new WaitExpired(waitId, timeout)));
    }
    tracer.emit(getContext().getSelf(), TraceKind.WAITING, owner, "for the lock");
    report();
  }

  private Behavior<Command> onRelease(Release release) {
    MutexState.ReleaseResult<ActorRef<?>, ActorRef<Reply>> result =
        state.release(release.owner(), release.token(), clock.nowNanos());
    if (result.rejected()) {
      release.replyTo().tell(new Rejected(result.rejection()));
      return this;
    }
    if (result.remainingDepth() == 0 && result.next() == null) {
      fenceFreed(); // before the holder hears it released: any write it still sends is stale
    }
    // traced before the answer: once answered, a plain-Java caller's stand-in may serve another
    // thread, and the event would be named after that one
    if (tracer.enabled()) {
      if (result.remainingDepth() > 0) {
        tracer.emit(
            getContext().getSelf(),
            TraceKind.GAVE_BACK,
            release.owner(),
            "still held, depth " + result.remainingDepth());
      } else {
        tracer.emit(
            getContext().getSelf(),
            TraceKind.RELEASED,
            release.owner(),
            "token " + release.token());
      }
    }
    release.replyTo().tell(new Released(release.token(), result.remainingDepth()));
    if (result.remainingDepth() == 0) {
      cancelLease();
      if (result.next() != null) {
        granted(result.next());
      }
      report();
    }
    return this;
  }

  /**
   * A hold ended and nobody was granted: the guarded resources learn that its token is stale now,
   * not at the next grant. The next grant's token is {@code lastToken + 1}, so that is the fence.
   */
  private void fenceFreed() {
    if (guarded != null && !guarded.isEmpty()) {
      NewToken fence = new NewToken(state.lastToken() + 1);
      guarded.forEach(resource -> resource.tell(fence));
    }
  }

  private Behavior<Command> onAwait(Await await) {
    if (await.timeout().isNegative()) {
      await
          .replyTo()
          .tell(new Rejected("the timeout must not be negative, was " + await.timeout()));
      return this;
    }
    long waitId = ++nextWaitId;
    MutexState.AwaitResult<ActorRef<?>, ActorRef<Reply>> result =
        state.await(
            await.condition(),
            await.owner(),
            await.replyTo(),
            await.token(),
            waitId,
            clock.nowNanos());
    if (result.rejected()) {
      await.replyTo().tell(new Rejected(result.rejection()));
      return this;
    }
    if (tracer.enabled()) {
      // waiting on a condition gives the lock up: the holding span ends, a waiting one begins
      tracer.emit(getContext().getSelf(), TraceKind.RELEASED, await.owner(), "to wait");
      tracer.emit(
          getContext().getSelf(), TraceKind.WAITING, await.owner(), "on " + await.condition());
    }
    cancelLease();
    if (waitTimers == null) {
      waitTimers = new HashMap<>();
    }
    waitTimers.put(
        waitId,
        getContext()
            .scheduleOnce(
                clock.toReal(await.timeout()),
                getContext().getSelf(),
                new ConditionExpired(waitId, await.timeout())));
    if (result.next() != null) {
      granted(result.next());
    }
    report();
    return this;
  }

  private Behavior<Command> onNotify(Notify notify) {
    MutexState.NotifyResult result =
        state.notify(
            notify.condition(), notify.owner(), notify.token(), notify.n(), clock.nowNanos());
    if (result.rejected()) {
      notify.replyTo().tell(new Rejected(result.rejection()));
      return this;
    }
    result
        .woken()
        .forEach(this::forgetTimer); // they wait for the lock now, with no deadline of their own
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(),
          "notified",
          notify.owner(),
          notify.condition() + ": " + result.woken().size() + " woken");
    }
    notify.replyTo().tell(new Notified(result.woken().size()));
    if (!result.woken().isEmpty()) {
      report();
    }
    return this;
  }

  private Behavior<Command> onConditionExpired(ConditionExpired expired) {
    if (waitTimers != null) {
      waitTimers.remove(expired.waitId());
    }
    MutexState.Reacquire<ActorRef<?>, ActorRef<Reply>> reacquire =
        state.conditionWaitExpired(expired.waitId(), clock.nowNanos());
    if (reacquire != null) {
      if (tracer.enabled()) {
        // its wait on the condition is over, but it waits for the lock again before it returns
        tracer.emit(
            getContext().getSelf(),
            TraceKind.WAITING,
            reacquire.waiter().owner(),
            "for the lock (its wait on " + reacquire.waiter().condition() + " timed out)");
      }
      if (reacquire.grant() != null) {
        granted(reacquire.grant());
      }
      report();
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus query) {
    MutexState.Snapshot<ActorRef<?>> snapshot = state.snapshot();
    query
        .replyTo()
        .tell(
            new Status(
                snapshot.holder(),
                snapshot.heldSince(),
                snapshot.token(),
                snapshot.depth(),
                snapshot.waiters(),
                state.conditionWaiters()));
    return this;
  }

  private Behavior<Command> onWithdraw(Withdraw withdraw) {
    MutexState.Waiter<ActorRef<?>, ActorRef<Reply>> waiter = state.waitOf(withdraw.owner());
    MutexState.ConditionWaiter<ActorRef<?>, ActorRef<Reply>> onCondition =
        state.removeConditionWait(withdraw.owner());
    if (waiter != null) {
      state.removeWait(waiter.waitId());
      forgetTimer(waiter.waitId());
    }
    if (onCondition != null) {
      forgetTimer(onCondition.waitId());
    }
    if (waiter != null || onCondition != null) {
      tracer.emit(getContext().getSelf(), TraceKind.WITHDRAWN, withdraw.owner(), "");
      report();
    }
    withdraw.replyTo().tell(new Withdrawn(waiter != null || onCondition != null));
    return this;
  }

  private Behavior<Command> onOwnerTerminated(OwnerTerminated terminated) {
    ActorRef<?> owner = terminated.owner();
    watched.remove(owner);
    if (guarded != null) {
      guarded.remove(owner);
    }
    MutexState.DeathResult<ActorRef<?>, ActorRef<Reply>> result =
        state.ownerDied(owner, clock.nowNanos());
    for (MutexState.Waiter<ActorRef<?>, ActorRef<Reply>> waiter : result.droppedWaits()) {
      forgetTimer(waiter.waitId());
      tracer.emit(getContext().getSelf(), TraceKind.DROPPED, owner, "its owner died");
    }
    if (result.freedToken() != null) {
      getContext()
          .getLog()
          .debug("Holder {} of token {} died; lock released", owner, result.freedToken());
      tracer.emit(getContext().getSelf(), TraceKind.REVOKED, owner, "its owner died");
      cancelLease();
      if (result.next() != null) {
        granted(result.next());
      } else {
        fenceFreed();
      }
    }
    if (result.freedToken() != null || !result.droppedWaits().isEmpty()) {
      report();
    }
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    if (waitTimers != null) {
      waitTimers.remove(expired.waitId());
    }
    MutexState.Waiter<ActorRef<?>, ActorRef<Reply>> waiter = state.removeWait(expired.waitId());
    if (waiter != null) {
      tracer.emit(getContext().getSelf(), TraceKind.TIMED_OUT, waiter.owner(), expired.waited());
      waiter.replyTo().tell(new TimedOut(expired.waited()));
      report();
    }
    return this;
  }

  private Behavior<Command> onLeaseExpired(LeaseExpired expired) {
    MutexState.Revocation<ActorRef<?>, ActorRef<Reply>> revocation =
        state.revoke(expired.token(), clock.nowNanos());
    if (revocation != null) {
      leaseTimer = null;
      getContext()
          .getLog()
          .debug("Lease of token {} held by {} expired", revocation.token(), revocation.holder());
      if (tracer.enabled()) {
        tracer.emit(
            getContext().getSelf(),
            TraceKind.REVOKED,
            revocation.holder(),
            "its lease ran out, token " + revocation.token());
      }
      if (revocation.next() == null) {
        fenceFreed(); // before the holder hears it lost the lock, so its next write is already
        // stale
      }
      revocation
          .replyTo()
          .tell(new Revoked(getContext().getSelf(), revocation.token(), settings.lease()));
      if (revocation.next() != null) {
        granted(revocation.next());
      }
      report();
    }
    return this;
  }

  private Behavior<Command> onBreakWait(BreakWait breakWait) {
    MutexState.Waiter<ActorRef<?>, ActorRef<Reply>> waiter =
        state.waitOf(breakWait.order().owner());
    if (waiter != null) {
      state.removeWait(waiter.waitId());
      forgetTimer(waiter.waitId());
      if (tracer.enabled()) {
        tracer.emit(
            getContext().getSelf(),
            TraceKind.DEADLOCK,
            breakWait.order().owner(),
            String.join(" -> ", breakWait.order().cycle()));
      }
      waiter.replyTo().tell(new DeadlockDetected(breakWait.order().cycle()));
      report();
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    cancelLease();
    if (waitTimers != null) {
      waitTimers.values().forEach(Cancellable::cancel);
    }
    if (breaker != null && reportedContended) {
      settings.detector().tell(new DeadlockDetector.LockState(breaker, null, List.of(), List.of()));
    }
    return this;
  }

  private void granted(MutexState.Grant<ActorRef<?>, ActorRef<Reply>> grant) {
    forgetTimer(grant.waitId());
    if ((grant.depth() == 1 || grant.woken() != null) && settings.lease() != null) {
      cancelLease();
      leaseTimer =
          getContext()
              .scheduleOnce(
                  clock.toReal(settings.lease()),
                  getContext().getSelf(),
                  new LeaseExpired(grant.token()));
    }
    if (tracer.enabled()) {
      if (grant.depth() == 1 || grant.woken() != null) {
        String woke =
            grant.woken() == null ? "" : grant.woken() ? ", woken" : ", its wait timed out";
        tracer.emit(
            getContext().getSelf(),
            TraceKind.GRANTED,
            grant.owner(),
            "token " + grant.token() + woke);
      } else {
        tracer.emit(getContext().getSelf(), "re-entered", grant.owner(), "depth " + grant.depth());
      }
    }
    if (guarded != null && (grant.depth() == 1 || grant.woken() != null)) {
      NewToken news = new NewToken(grant.token()); // before the holder can use it
      guarded.forEach(resource -> resource.tell(news));
    }
    if (grant.woken() == null) {
      grant.replyTo().tell(new Granted(grant.token(), grant.depth()));
    } else {
      grant.replyTo().tell(new Woken(grant.token(), grant.depth(), grant.woken()));
    }
  }

  /**
   * Stops the deadline timer of wait {@code waitId}, if it has one. A late expiry is ignored
   * anyway.
   */
  private void forgetTimer(long waitId) {
    if (waitTimers != null && !waitTimers.isEmpty()) {
      Cancellable timer = waitTimers.remove(waitId);
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  private void cancelLease() {
    if (leaseTimer != null) {
      leaseTimer.cancel();
      leaseTimer = null;
    }
  }

  /**
   * Watch each owner once, for as long as it lives; a dead owner is forgotten in {@link
   * #onOwnerTerminated}.
   */
  private void watch(ActorRef<?> owner) {
    if (watched == null) {
      watched = new HashSet<>();
    }
    // contains first: add on a known owner rewrites its entry, a reference store that costs G1 a
    // fence on every acquire
    if (!watched.contains(owner)) {
      watched.add(owner);
      getContext().watchWith(owner, new OwnerTerminated(owner));
    }
  }

  /**
   * The story time an acquire arriving now is stamped with. A free lock grants it, and the stamp is
   * the hold's start ({@link Status#heldSince()}). A held one queues it, and only the deadlock
   * detector reads when a waiter began to wait; without a detector the clock is not read (a reading
   * is a {@code System.nanoTime()} call, a large part of a queued acquire's own work) and the wait
   * is stamped 0.
   */
  private long requestStamp() {
    return state.holder() == null || breaker != null ? clock.nowNanos() : 0;
  }

  /** Tell the detector how the lock looks, when it is contended or just stopped being so. */
  private void report() {
    if (breaker == null) {
      return;
    }
    boolean contended = state.waiting() > 0;
    if (contended || reportedContended) {
      MutexState.Snapshot<ActorRef<?>> snapshot = state.snapshot();
      settings
          .detector()
          .tell(
              new DeadlockDetector.LockState(
                  breaker, snapshot.holder(), snapshot.waiters(), snapshot.waitingSince()));
    }
    reportedContended = contended;
  }
}
