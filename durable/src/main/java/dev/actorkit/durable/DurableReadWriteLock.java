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
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockState;
import dev.actorkit.patterns.semaphore.WaitQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-write lock whose state outlives the JVM that hosts it: the {@link ReadWriteLock} protocol,
 * kept as one {@link ReadWriteLockRecord} in the durable store and replaced on every change before
 * anyone hears of it. {@link DurableKit#readWriteLock} reaches it by name, through the same {@code
 * ReadWriteLockClient}; it starts free the first time anyone uses it.
 *
 * <p><b>What it keeps.</b> The writer, the readers with their read counts, the waiters in FIFO
 * order with their modes and deadlines, and the last token granted: after its host dies it starts
 * on another node as it was, watches its holders and waiters again (a dead holder's lock is
 * released at once) and answers the waiters whose deadlines passed meanwhile with {@code TimedOut}.
 * Tokens never repeat, across failover and full restarts.
 *
 * <p><b>What it answers.</b> Everything {@link ReadWriteLock} answers, by the same rules (it
 * applies them through {@link ReadWriteLockState}): FIFO with reader batches, writer preference
 * against reader streams, reentrant reads, no upgrade, atomic downgrade, one wait per owner, a
 * token on every grant.
 *
 * <p><b>When the store fails</b>, as for {@link DurableMutex}: the change is not made, and its
 * caller is answered {@code Rejected}.
 */
public final class DurableReadWriteLock extends DurableEntity<ReadWriteLockRecord> {

  /** The kind of persistence id and sharding entity: {@code actorkit-rwlock|name}. */
  public static final String KIND = "actorkit-rwlock";

  /** The read-write lock named {@code name}, kept under {@code actorkit-rwlock|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DurableReadWriteLock(PersistenceId.of(KIND, name), context, timers)));
  }

  private DurableReadWriteLock(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, context, timers);
  }

  @Override
  public ReadWriteLockRecord emptyState() {
    return ReadWriteLockRecord.EMPTY;
  }

  @Override
  public CommandHandler<Object, ReadWriteLockRecord> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            ReadWriteLock.AcquireRead.class,
            (record, c) -> request(record, false, c.timeout(), c.owner(), c.replyTo()))
        .onCommand(
            ReadWriteLock.AcquireWrite.class,
            (record, c) -> request(record, true, c.timeout(), c.owner(), c.replyTo()))
        .onCommand(
            ReadWriteLock.ReleaseRead.class,
            (record, c) -> release(record, false, c.owner(), c.replyTo()))
        .onCommand(
            ReadWriteLock.ReleaseWrite.class,
            (record, c) -> release(record, true, c.owner(), c.replyTo()))
        .onCommand(ReadWriteLock.Downgrade.class, this::onDowngrade)
        .onCommand(ReadWriteLock.Status.class, this::onStatus)
        .onCommand(OwnerTerminated.class, this::onOwnerTerminated)
        .onCommand(WaitExpired.class, this::onWaitExpired)
        .build();
  }

  @Override
  public SignalHandler<ReadWriteLockRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), record -> restarting())
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  private void recovered(ReadWriteLockRecord record) {
    record.involved().forEach(watch::watchRecovered);
    for (ReadWriteLockRecord.Waiting waiting : record.waiters()) {
      Duration waited = clock.toStory(Duration.ofMillis(waiting.timeoutMillis()));
      EntityWatch.restartTimer(
          timers,
          waiting.waitId(),
          waiting.deadlineMillis(),
          new WaitExpired(waiting.waitId(), waited));
    }
    settle(record);
  }

  private Effect<ReadWriteLockRecord> request(
      ReadWriteLockRecord record,
      boolean write,
      Duration timeout,
      ActorRef<?> owner,
      ActorRef<ReadWriteLock.Reply> replyTo) {
    ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state = record.state();
    String refusal =
        timeout == null || timeout.isNegative()
            ? "the timeout must be zero or positive, got " + timeout
            : state.refuseAcquire(owner, write);
    if (refusal != null) {
      return answer(replyTo, new ReadWriteLock.Rejected(refusal));
    }
    if (state.canGrantNow(owner, write)) {
      boolean first = holdsNothing(record, owner);
      long token = state.grantNow(owner, write);
      ReadWriteLockRecord after = ReadWriteLockRecord.of(state, record.nextWaitId());
      return write(
          after,
          () -> replyTo.tell(new ReadWriteLock.Rejected(PendingWrite.STORE_FAILED)),
          () -> {
            watch.watch(owner);
            traceGrant(owner, write, token, first);
            trace(TraceKind.LEVEL, after.readers().size());
            replyTo.tell(grant(write, token));
          });
    }
    if (timeout.isZero()) {
      return answer(replyTo, new ReadWriteLock.TimedOut(Duration.ZERO));
    }
    long waitId = record.nextWaitId();
    Duration real = clock.toReal(timeout);
    ReadWriteLockRecord.Waiting waiting =
        new ReadWriteLockRecord.Waiting(
            owner, replyTo, write, waitId, EntityWatch.deadlineOf(real), real.toMillis());
    state.enqueue(owner, write, waiting);
    return write(
        ReadWriteLockRecord.of(state, waitId + 1),
        () -> replyTo.tell(new ReadWriteLock.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          watch.watch(owner);
          trace(TraceKind.WAITING, owner, write ? "to write" : "to read");
          EntityWatch.restartTimer(
              timers, waitId, waiting.deadlineMillis(), new WaitExpired(waitId, timeout));
        });
  }

  private Effect<ReadWriteLockRecord> release(
      ReadWriteLockRecord record,
      boolean write,
      ActorRef<?> owner,
      ActorRef<ReadWriteLock.Reply> replyTo) {
    ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state = record.state();
    String refusal = state.refuseRelease(owner, write);
    if (refusal != null) {
      return answer(replyTo, new ReadWriteLock.Rejected(refusal));
    }
    state.release(owner, write);
    List<Grant> grants = grantWaiting(state);
    ReadWriteLockRecord after = ReadWriteLockRecord.of(state, record.nextWaitId());
    return write(
        after,
        () -> replyTo.tell(new ReadWriteLock.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          trace(TraceKind.release(holdsNothing(after, owner)), owner, mode(write));
          replyTo.tell(ReadWriteLock.Released.INSTANCE);
          granted(grants, record, after);
          watch.unwatchUnless(after.involves(owner), owner);
        });
  }

  private Effect<ReadWriteLockRecord> onDowngrade(
      ReadWriteLockRecord record, ReadWriteLock.Downgrade downgrade) {
    ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state = record.state();
    String refusal = state.refuseDowngrade(downgrade.owner());
    if (refusal != null) {
      return answer(downgrade.replyTo(), new ReadWriteLock.Rejected(refusal));
    }
    state.downgrade(downgrade.owner());
    List<Grant> grants = grantWaiting(state);
    ReadWriteLockRecord after = ReadWriteLockRecord.of(state, record.nextWaitId());
    return write(
        after,
        () -> downgrade.replyTo().tell(new ReadWriteLock.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          trace("downgraded", downgrade.owner(), "write -> read");
          downgrade.replyTo().tell(ReadWriteLock.Downgraded.INSTANCE);
          granted(grants, record, after);
        });
  }

  private Effect<ReadWriteLockRecord> onStatus(
      ReadWriteLockRecord record, ReadWriteLock.Status status) {
    List<ActorRef<?>> readers = new ArrayList<>();
    record.readers().forEach(held -> readers.add(held.owner()));
    List<ReadWriteLock.Waiting> waiters = new ArrayList<>();
    record
        .waiters()
        .forEach(
            waiting -> waiters.add(new ReadWriteLock.Waiting(waiting.owner(), waiting.write())));
    return answer(
        status.replyTo(), new ReadWriteLock.StatusReport(record.writer(), readers, waiters));
  }

  private Effect<ReadWriteLockRecord> onOwnerTerminated(
      ReadWriteLockRecord record, OwnerTerminated terminated) {
    ActorRef<?> dead = terminated.owner();
    watch.died(dead);
    if (!record.involves(dead)) {
      return Effect().none();
    }
    ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state = record.state();
    List<Long> dropped = new ArrayList<>();
    state.ownerDied(dead, waiter -> dropped.add(waiter.attachment().waitId()));
    List<Grant> grants = grantWaiting(state);
    ReadWriteLockRecord after = ReadWriteLockRecord.of(state, record.nextWaitId());
    return change(
        after,
        () -> {
          dropped.forEach(
              waitId -> {
                timers.cancel(waitId);
                trace(TraceKind.DROPPED, dead, "its owner died while waiting");
              });
          if (!holdsNothing(record, dead)) {
            trace(TraceKind.REVOKED, dead, "everything (its owner died)");
          }
          granted(grants, record, after);
        });
  }

  private Effect<ReadWriteLockRecord> onWaitExpired(
      ReadWriteLockRecord record, WaitExpired expired) {
    ReadWriteLockRecord.Waiting leaving = record.waitOf(expired.waitId());
    if (leaving == null) {
      return Effect().none();
    }
    ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state = record.state();
    for (WaitQueue.Waiter<ActorRef<?>, ReadWriteLockRecord.Waiting> waiter : state.waiters()) {
      if (waiter.attachment().waitId() == expired.waitId()) {
        state.cancel(waiter);
      }
    }
    List<Grant> grants = grantWaiting(state);
    ReadWriteLockRecord after = ReadWriteLockRecord.of(state, record.nextWaitId());
    return change(
        after,
        () -> {
          trace(TraceKind.TIMED_OUT, leaving.owner(), mode(leaving.write()));
          leaving.replyTo().tell(new ReadWriteLock.TimedOut(expired.waited()));
          granted(grants, record, after);
          watch.unwatchUnless(after.involves(leaving.owner()), leaving.owner());
        });
  }

  /** A waiter let in by a change, with its token: told only once the change is in the store. */
  private record Grant(ReadWriteLockRecord.Waiting waiting, long token) {}

  private static List<Grant> grantWaiting(
      ReadWriteLockState<ActorRef<?>, ReadWriteLockRecord.Waiting> state) {
    List<Grant> grants = new ArrayList<>();
    state.grantWaiting((waiter, token) -> grants.add(new Grant(waiter.attachment(), token)));
    return grants;
  }

  /**
   * Tells the waiters a change (from {@code before} to {@code after}) let in that they hold the
   * lock now, and traces how many read after it.
   */
  private void granted(List<Grant> grants, ReadWriteLockRecord before, ReadWriteLockRecord after) {
    for (Grant grant : grants) {
      ReadWriteLockRecord.Waiting waiting = grant.waiting();
      timers.cancel(waiting.waitId());
      watch.watch(waiting.owner());
      traceGrant(
          waiting.owner(), waiting.write(), grant.token(), holdsNothing(before, waiting.owner()));
      waiting.replyTo().tell(grant(waiting.write(), grant.token()));
    }
    trace(TraceKind.LEVEL, after.readers().size());
  }

  /**
   * A grant, as {@code ReadWriteLock} traces it: {@code granted} with its token when the owner held
   * nothing here before, so the holding span lasts until the release that leaves it nothing.
   */
  private void traceGrant(ActorRef<?> owner, boolean write, long token, boolean first) {
    if (tracing()) {
      trace(TraceKind.grant(first), owner, mode(write) + ", token " + token);
    }
  }

  private static boolean holdsNothing(ReadWriteLockRecord record, ActorRef<?> owner) {
    return !owner.equals(record.writer())
        && record.readers().stream().noneMatch(held -> held.owner().equals(owner));
  }

  private static ReadWriteLock.Reply grant(boolean write, long token) {
    return write ? new ReadWriteLock.WriteGranted(token) : new ReadWriteLock.ReadGranted(token);
  }

  private static String mode(boolean write) {
    return write ? "write" : "read";
  }

  private Effect<ReadWriteLockRecord> answer(
      ActorRef<ReadWriteLock.Reply> replyTo, ReadWriteLock.Reply reply) {
    return Effect().none().thenRun(() -> replyTo.tell(reply));
  }
}
