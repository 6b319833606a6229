package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A read-write lock as an actor: many readers or one writer ({@code
 * java.util.concurrent.locks.ReadWriteLock}; Python has none in its standard library, the classic
 * readers-writers problem builds one from a lock and a condition).
 *
 * <p><b>Owners.</b> Every request names the {@code owner} actor that will hold the lock (an actor
 * passes itself; {@link ReadWriteLockClient} makes a short-lived owner actor per hold).
 *
 * <p><b>Ordering and fairness.</b> FIFO, with writer preference against reader streams: a reader
 * gets in at once only if no writer holds the lock and nobody waits; once a writer waits, later
 * readers queue behind it, so the readers inside drain out and the writer gets in. Consecutive
 * readers at the head of the queue are let in together. An owner that already reads may read again
 * at once (reentrant reads). Upgrading read to write, and asking again while holding the write
 * lock, are refused; {@link Downgrade} turns a write lock into a read lock atomically and lets the
 * readers queued at the head in with it. See {@link ReadWriteLockState}.
 *
 * <p><b>Timeouts.</b> Every acquire waits at most its timeout (story time, this actor's timer);
 * then the waiter leaves the queue and gets {@link TimedOut}. A zero timeout never queues.
 *
 * <p><b>Death.</b> Every owner is watched; when one stops, whatever it held is released and its
 * waits leave the queue.
 *
 * <p><b>Fencing tokens.</b> Every grant carries a token greater than every earlier grant's; a
 * downgraded writer keeps its token. See {@link ReadWriteLockState}.
 *
 * <p><b>Refusals</b> ({@link Rejected}, nothing changes): a release of a lock the owner does not
 * hold, a downgrade by a non-writer, an upgrade, a second write lock, a second wait by an owner
 * that already waits, a negative timeout.
 */
public final class ReadWriteLock extends AbstractBehavior<ReadWriteLock.Command> {

  /** Everything a read-write lock understands. */
  public sealed interface Command extends KitMessage {}

  /**
   * Asks for a shared read lock for {@code owner}, waiting at most {@code timeout} (story time).
   */
  public record AcquireRead(Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Asks for the exclusive write lock for {@code owner}, waiting at most {@code timeout} (story
   * time).
   */
  public record AcquireWrite(Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {}

  /** Gives back one read lock of {@code owner}. */
  public record ReleaseRead(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command {}

  /** Gives back the write lock of {@code owner}. */
  public record ReleaseWrite(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Turns {@code owner}'s write lock into a read lock, with no moment in which another writer could
   * get in.
   */
  public record Downgrade(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command {}

  /** Asks who holds and who waits; answered with {@link StatusReport}. */
  public record Status(ActorRef<Reply> replyTo) implements Command {}

  /** What a read-write lock answers. */
  public sealed interface Reply extends KitMessage {}

  /** The owner now holds a read lock; {@code token} is the grant's fencing token. */
  public record ReadGranted(long token) implements Reply {}

  /**
   * The owner now holds the write lock. {@code token} is greater than the token of every grant made
   * before it, so a resource that keeps the greatest writer token it has seen refuses a writer that
   * has since lost the lock.
   */
  public record WriteGranted(long token) implements Reply {}

  /** The lock was given back. */
  public enum Released implements Reply {
    INSTANCE
  }

  /** The owner's write lock is now a read lock. */
  public enum Downgraded implements Reply {
    INSTANCE
  }

  /** One waiter and the mode it asks for. */
  public record Waiting(ActorRef<?> owner, boolean write) implements KitMessage {}

  /** The writer (or null), the readers in the order they got in, and the waiters in queue order. */
  public record StatusReport(ActorRef<?> writer, List<ActorRef<?>> readers, List<Waiting> waiters)
      implements Reply {
    public StatusReport {
      readers = List.copyOf(readers);
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

  /**
   * How a read-write lock starts. It has no options today (its fairness is the rule above); the
   * record keeps {@code ReadWriteLockClient.create(kit, name, settings)} the same shape as every
   * other client's.
   */
  public record Settings() {
    public static Settings defaults() {
      return new Settings();
    }
  }

  /** A free read-write lock. */
  public static Behavior<Command> create() {
    return create(Settings.defaults());
  }

  /** A free read-write lock with these settings. */
  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new ReadWriteLock(context, timers)));
  }

  private final TimerScheduler<Command> timers;
  private final ReadWriteLockState<ActorRef<?>, ActorRef<Reply>> state = new ReadWriteLockState<>();
  private final KitClock clock;
  private final Tracer tracer;
  private final Set<ActorRef<?>> watched = new HashSet<>();
  private final WaitQueue.OnGrant<ActorRef<?>, ActorRef<Reply>> onGranted = this::granted;
  private final Consumer<Waiter<ActorRef<?>, ActorRef<Reply>>> onDropped = this::dropped;

  private ReadWriteLock(ActorContext<Command> context, TimerScheduler<Command> timers) {
    super(context);
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    level();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AcquireRead.class, this::onAcquireRead)
        .onMessage(AcquireWrite.class, this::onAcquireWrite)
        .onMessage(ReleaseRead.class, this::onReleaseRead)
        .onMessage(ReleaseWrite.class, this::onReleaseWrite)
        .onMessage(Downgrade.class, this::onDowngrade)
        .onMessage(Status.class, this::onStatus)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(OwnerTerminated.class, this::onOwnerTerminated)
        .build();
  }

  private Behavior<Command> onAcquireRead(AcquireRead acquire) {
    request(false, acquire.timeout(), acquire.owner(), acquire.replyTo());
    return this;
  }

  private Behavior<Command> onAcquireWrite(AcquireWrite acquire) {
    request(true, acquire.timeout(), acquire.owner(), acquire.replyTo());
    return this;
  }

  private void request(
      boolean write, Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo) {
    String refusal =
        timeout == null || timeout.isNegative()
            ? "the timeout must be zero or positive, got " + timeout
            : state.refuseAcquire(owner, write);
    if (refusal != null) {
      trace("rejected", owner, refusal);
      replyTo.tell(new Rejected(refusal));
      return;
    }
    trace("requested", owner, mode(write));
    if (state.canGrantNow(owner, write)) {
      watch(owner);
      boolean first = holdsNothing(owner);
      long token = state.grantNow(owner, write);
      traceGrant(owner, write, token, first);
      replyTo.tell(grant(write, token));
      level();
      return;
    }
    if (timeout.isZero()) {
      trace(TraceKind.TIMED_OUT, owner, "not free, and it would not wait");
      replyTo.tell(new TimedOut(timeout));
      return;
    }
    watch(owner);
    Waiter<ActorRef<?>, ActorRef<Reply>> waiter = state.enqueue(owner, write, replyTo);
    trace(TraceKind.WAITING, owner, write ? "to write" : "to read");
    timers.startSingleTimer(waiter, new WaitExpired(waiter, timeout), clock.toReal(timeout));
  }

  private Behavior<Command> onReleaseRead(ReleaseRead release) {
    return release(false, release.owner(), release.replyTo());
  }

  private Behavior<Command> onReleaseWrite(ReleaseWrite release) {
    return release(true, release.owner(), release.replyTo());
  }

  private Behavior<Command> release(boolean write, ActorRef<?> owner, ActorRef<Reply> replyTo) {
    String refusal = state.refuseRelease(owner, write);
    if (refusal != null) {
      trace("rejected", owner, refusal);
      replyTo.tell(new Rejected(refusal));
      return this;
    }
    state.release(owner, write);
    trace(TraceKind.release(holdsNothing(owner)), owner, mode(write));
    level();
    state.grantWaiting(onGranted);
    replyTo.tell(Released.INSTANCE);
    return this;
  }

  private Behavior<Command> onDowngrade(Downgrade downgrade) {
    String refusal = state.refuseDowngrade(downgrade.owner());
    if (refusal != null) {
      trace("rejected", downgrade.owner(), refusal);
      downgrade.replyTo().tell(new Rejected(refusal));
      return this;
    }
    state.downgrade(downgrade.owner());
    trace("downgraded", downgrade.owner(), "write -> read");
    level();
    downgrade.replyTo().tell(Downgraded.INSTANCE);
    state.grantWaiting(onGranted);
    return this;
  }

  private Behavior<Command> onStatus(Status status) {
    List<Waiting> waiters = new ArrayList<>();
    for (Waiter<ActorRef<?>, ActorRef<Reply>> waiter : state.waiters()) {
      waiters.add(new Waiting(waiter.owner(), waiter.exclusive()));
    }
    status
        .replyTo()
        .tell(new StatusReport(state.writer(), new ArrayList<>(state.readers().keySet()), waiters));
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    if (state.cancel(expired.waiter())) {
      trace(TraceKind.TIMED_OUT, expired.waiter().owner(), mode(expired.waiter().exclusive()));
      expired.waiter().attachment().tell(new TimedOut(expired.timeout()));
      state.grantWaiting(onGranted);
    }
    return this;
  }

  private Behavior<Command> onOwnerTerminated(OwnerTerminated terminated) {
    boolean held = !holdsNothing(terminated.owner());
    if (state.knows(terminated.owner())) {
      getContext()
          .getLog()
          .debug("{} died; releasing what it held and dropping its waits", terminated.owner());
    }
    state.ownerDied(terminated.owner(), onDropped);
    if (held) {
      trace(TraceKind.REVOKED, terminated.owner(), "everything (its owner died)");
      level();
    }
    watched.remove(terminated.owner());
    state.grantWaiting(onGranted);
    return this;
  }

  private void watch(ActorRef<?> owner) {
    if (watched.add(owner)) {
      getContext().watchWith(owner, new OwnerTerminated(owner));
    }
  }

  private void granted(Waiter<ActorRef<?>, ActorRef<Reply>> waiter, long token) {
    timers.cancel(waiter);
    if (tracer.enabled()) {
      boolean first =
          waiter.exclusive()
              ? state.readCountOf(waiter.owner()) == 0
              : state.readCountOf(waiter.owner()) == 1 && !waiter.owner().equals(state.writer());
      traceGrant(waiter.owner(), waiter.exclusive(), token, first);
    }
    waiter.attachment().tell(grant(waiter.exclusive(), token));
    level();
  }

  private static Reply grant(boolean write, long token) {
    return write ? new WriteGranted(token) : new ReadGranted(token);
  }

  private void dropped(Waiter<ActorRef<?>, ActorRef<Reply>> waiter) {
    timers.cancel(waiter);
    trace(TraceKind.DROPPED, waiter.owner(), mode(waiter.exclusive()) + " (its owner died)");
  }

  private static String mode(boolean write) {
    return write ? "write" : "read";
  }

  /** Emits a trace event for {@code owner}; the detail says what, never who. */
  private void trace(String kind, ActorRef<?> owner, String detail) {
    tracer.emit(getContext().getSelf(), kind, owner, detail);
  }

  /**
   * A grant: {@code granted} with its fencing token when the owner held nothing here before, so a
   * timeline's holding span runs until the release that leaves it nothing.
   */
  private void traceGrant(ActorRef<?> owner, boolean write, long token, boolean first) {
    if (tracer.enabled()) {
      String detail = mode(write) + ", token " + token;
      trace(TraceKind.grant(first), owner, detail);
    }
  }

  private boolean holdsNothing(ActorRef<?> owner) {
    return !owner.equals(state.writer()) && state.readCountOf(owner) == 0;
  }

  /** How many readers are inside now, as a {@code level} event: the lock's line on a timeline. */
  private void level() {
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.readers().size());
    }
  }
}
