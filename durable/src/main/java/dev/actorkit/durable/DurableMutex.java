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
import dev.actorkit.patterns.mutex.Mutex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mutex whose state outlives the JVM that hosts it: the {@link Mutex} protocol, kept as one
 * {@link MutexRecord} in the durable store and replaced on every change before anyone hears of the
 * change. {@link DurableKit#mutex} reaches it by name as a Cluster Sharding entity, through the
 * same {@code MutexClient}.
 *
 * <p><b>What it keeps.</b> The holder (owner, token, depth), the waiters in FIFO order with their
 * deadlines, the fenced resources, and the last token granted. So when its host dies the mutex
 * starts on another node as it was; tokens never repeat, across failover and across a restart of
 * the whole cluster from the same store.
 *
 * <p><b>After a move.</b> The recovered mutex watches its holder, waiters and fenced resources
 * again: one whose node is gone is found dead at once, and its hold is handed on (or its wait
 * dropped). A waiter whose deadline passed while the mutex moved is answered {@code TimedOut} and
 * dropped. Deadlines are kept as wall-clock time, so they assume the nodes' clocks agree.
 *
 * <p><b>What it answers.</b> {@code Acquire}, {@code TryAcquire}, {@code Release}, {@code
 * Withdraw}, {@code GetStatus} and {@code Guard}, as {@link Mutex} does (strict FIFO; a hold ends
 * when its owner dies; the resources it guards hear each new token before its holder does). It is
 * not reentrant, has no lease, no conditions and no deadlock detection: {@code Await} and {@code
 * Notify} are refused with {@code Rejected}.
 *
 * <p><b>When the store fails.</b> A change that cannot be written restarts the entity from the
 * store (after a short pause that grows while the store keeps failing). If the store has the change
 * after all, its caller gets the usual answer; if not, {@code Rejected}, and nothing changed
 * ({@link PendingWrite}). Nothing is granted that the store does not have.
 */
public final class DurableMutex extends DurableEntity<MutexRecord> {

  /** The kind of persistence id and sharding entity: {@code actorkit-mutex|name}. */
  public static final String KIND = "actorkit-mutex";

  /** The mutex named {@code name}, kept under {@code actorkit-mutex|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DurableMutex(PersistenceId.of(KIND, name), context, timers)));
  }

  private DurableMutex(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, context, timers);
  }

  @Override
  public MutexRecord emptyState() {
    return MutexRecord.EMPTY;
  }

  @Override
  public CommandHandler<Object, MutexRecord> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Mutex.Acquire.class, (record, c) -> request(record, c.owner(), null, c.replyTo()))
        .onCommand(
            Mutex.TryAcquire.class,
            (record, c) -> request(record, c.owner(), c.timeout(), c.replyTo()))
        .onCommand(Mutex.Release.class, this::onRelease)
        .onCommand(Mutex.Withdraw.class, this::onWithdraw)
        .onCommand(Mutex.GetStatus.class, this::onStatus)
        .onCommand(Mutex.Guard.class, this::onGuard)
        .onCommand(
            Mutex.Await.class,
            (record, c) -> refuse(c.replyTo(), "a durable mutex has no conditions"))
        .onCommand(
            Mutex.Notify.class,
            (record, c) -> refuse(c.replyTo(), "a durable mutex has no conditions"))
        .onCommand(OwnerTerminated.class, this::onOwnerTerminated)
        .onCommand(WaitExpired.class, this::onWaitExpired)
        .build();
  }

  @Override
  public SignalHandler<MutexRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), record -> restarting())
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  /** Watches everyone in the record again, and restarts (or runs out) the waiters' timers. */
  private void recovered(MutexRecord record) {
    record.involved().forEach(watch::watchRecovered);
    for (MutexRecord.Waiting waiting : record.waiters()) {
      Duration waited = clock.toStory(Duration.ofMillis(waiting.timeoutMillis()));
      EntityWatch.restartTimer(
          timers,
          waiting.waitId(),
          waiting.deadlineMillis(),
          new WaitExpired(waiting.waitId(), waited));
    }
    if (record.lastToken() > 0) {
      trace(
          "recovered", "token " + record.lastToken() + ", " + record.waiters().size() + " waiting");
    }
    settle(record);
  }

  private Effect<MutexRecord> request(
      MutexRecord record, ActorRef<?> owner, Duration timeout, ActorRef<Mutex.Reply> replyTo) {
    if (timeout != null && timeout.isNegative()) {
      return refuse(replyTo, "the timeout must be zero or positive, got " + timeout);
    }
    if (record.isHeldBy(owner)) {
      return refuse(replyTo, owner + " already holds the lock (a durable mutex is not reentrant)");
    }
    if (record.waitOf(owner) != null) {
      return refuse(replyTo, owner + " already waits for the lock");
    }
    if (record.hold() == null && record.waiters().isEmpty()) {
      MutexRecord granted = record.grant(owner, replyTo, System.currentTimeMillis());
      return write(
          granted,
          () -> replyTo.tell(new Mutex.Rejected(PendingWrite.STORE_FAILED)),
          () -> {
            watch.watch(owner);
            announce(granted);
          });
    }
    if (timeout != null && timeout.isZero()) {
      return Effect().none().thenRun(() -> replyTo.tell(new Mutex.TimedOut(Duration.ZERO)));
    }
    long waitId = record.nextWaitId();
    Duration real = timeout == null ? null : clock.toReal(timeout);
    MutexRecord.Waiting waiting =
        new MutexRecord.Waiting(
            owner,
            replyTo,
            waitId,
            EntityWatch.deadlineOf(real),
            real == null ? 0 : real.toMillis());
    return write(
        record.enqueue(waiting),
        () -> replyTo.tell(new Mutex.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          watch.watch(owner);
          trace(TraceKind.WAITING, owner, "for the lock");
          EntityWatch.restartTimer(
              timers, waitId, waiting.deadlineMillis(), new WaitExpired(waitId, timeout));
        });
  }

  private Effect<MutexRecord> onRelease(MutexRecord record, Mutex.Release release) {
    if (!record.isHeldBy(release.owner())) {
      return refuse(release.replyTo(), release.owner() + " does not hold the lock");
    }
    if (release.token() != record.hold().token()) {
      return refuse(
          release.replyTo(),
          "stale fencing token " + release.token() + ": the hold is " + record.hold().token());
    }
    long token = record.hold().token();
    MutexRecord after = record.releaseOneLevel(System.currentTimeMillis());
    int remaining = after.isHeldBy(release.owner()) ? after.hold().depth() : 0;
    return write(
        after,
        () -> release.replyTo().tell(new Mutex.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          // as Mutex: a reentrant hold given back part way is not the end of the holding span
          trace(TraceKind.release(remaining == 0), release.owner(), "token " + token);
          handedOn(record, after);
          release.replyTo().tell(new Mutex.Released(token, remaining));
          unwatchIfUninvolved(after, release.owner());
        });
  }

  private Effect<MutexRecord> onWithdraw(MutexRecord record, Mutex.Withdraw withdraw) {
    MutexRecord.Waiting waiting = record.waitOf(withdraw.owner());
    if (waiting == null) {
      MutexRecord.Hold hold = record.isHeldBy(withdraw.owner()) ? record.hold() : null;
      return Effect()
          .none()
          .thenRun(
              () -> {
                if (hold != null) {
                  // Its grant was written, but the node that wrote it may have died before
                  // sending it: send it (again) ahead of Withdrawn, and the owner gives it back.
                  withdraw.replyTo().tell(new Mutex.Granted(hold.token(), hold.depth()));
                }
                withdraw.replyTo().tell(new Mutex.Withdrawn(false));
              });
    }
    MutexRecord after = record.withoutWaits(w -> w.waitId() == waiting.waitId());
    return write(
        after,
        () -> withdraw.replyTo().tell(new Mutex.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          timers.cancel(waiting.waitId());
          trace(TraceKind.WITHDRAWN, withdraw.owner(), "");
          withdraw.replyTo().tell(new Mutex.Withdrawn(true));
          unwatchIfUninvolved(after, withdraw.owner());
        });
  }

  private Effect<MutexRecord> onStatus(MutexRecord record, Mutex.GetStatus status) {
    MutexRecord.Hold hold = record.hold();
    List<ActorRef<?>> waiters = new ArrayList<>();
    record.waiters().forEach(waiting -> waiters.add(waiting.owner()));
    Mutex.Status report =
        new Mutex.Status(
            hold == null ? null : hold.owner(),
            hold == null
                ? null
                : clock
                    .now()
                    .minus(
                        clock.toStory(
                            Duration.ofMillis(
                                Math.max(0, System.currentTimeMillis() - hold.grantedAtMillis())))),
            hold == null ? 0 : hold.token(),
            hold == null ? 0 : hold.depth(),
            waiters,
            Map.of());
    return Effect().none().thenRun(() -> status.replyTo().tell(report));
  }

  private Effect<MutexRecord> onGuard(MutexRecord record, Mutex.Guard guard) {
    if (guard.resource() == null) {
      return Effect().none();
    }
    if (record.guards().contains(guard.resource())) {
      // Known already, but it asks again (say, it restarted and may have missed a token): tell it
      // the fence it should have, without writing anything.
      return Effect().none().thenRun(() -> tellFence(record, guard.resource()));
    }
    MutexRecord after = record.guarding(guard.resource());
    return change(
        after,
        () -> {
          watch.watch(guard.resource());
          tellFence(record, guard.resource());
        });
  }

  /**
   * Once anything was granted: the holder's token, or, if the lock is free, the next one (the last
   * holder's token is stale already).
   */
  private static void tellFence(MutexRecord record, ActorRef<Mutex.NewToken> resource) {
    if (record.lastToken() > 0) {
      long fence = record.hold() != null ? record.lastToken() : record.lastToken() + 1;
      resource.tell(new Mutex.NewToken(fence));
    }
  }

  private Effect<MutexRecord> onOwnerTerminated(MutexRecord record, OwnerTerminated terminated) {
    ActorRef<?> dead = terminated.owner();
    watch.died(dead);
    MutexRecord after = record.withoutWaits(w -> w.owner().equals(dead)).notGuarding(dead);
    if (after.isHeldBy(dead)) {
      after = after.handOn(System.currentTimeMillis());
    }
    if (after.equals(record)) {
      return Effect().none();
    }
    MutexRecord handed = after;
    return change(
        handed,
        () -> {
          record.waiters().stream()
              .filter(w -> w.owner().equals(dead))
              .forEach(
                  w -> {
                    timers.cancel(w.waitId());
                    trace(TraceKind.DROPPED, dead, "its owner died");
                  });
          if (record.isHeldBy(dead)) {
            trace(TraceKind.REVOKED, dead, "its owner died");
          }
          handedOn(record, handed);
        });
  }

  private Effect<MutexRecord> onWaitExpired(MutexRecord record, WaitExpired expired) {
    MutexRecord.Waiting waiting = null;
    for (MutexRecord.Waiting candidate : record.waiters()) {
      if (candidate.waitId() == expired.waitId()) {
        waiting = candidate;
      }
    }
    if (waiting == null) {
      return Effect().none();
    }
    MutexRecord.Waiting leaving = waiting;
    MutexRecord after = record.withoutWaits(w -> w.waitId() == leaving.waitId());
    return change(
        after,
        () -> {
          trace(TraceKind.TIMED_OUT, leaving.owner(), "");
          leaving.replyTo().tell(new Mutex.TimedOut(expired.waited()));
          unwatchIfUninvolved(after, leaving.owner());
        });
  }

  /**
   * After a hold ended: the resources hear the new holder's token (or, if the lock is free, the
   * token the next grant will get) before the new holder hears of its grant.
   */
  private void handedOn(MutexRecord before, MutexRecord after) {
    long now = System.currentTimeMillis();
    for (MutexRecord.Waiting passed : before.waiters()) {
      boolean gone = after.waitOf(passed.owner()) == null && !after.isHeldBy(passed.owner());
      if (gone && passed.deadlineMillis() != 0 && passed.deadlineMillis() <= now) {
        // Its deadline passed while a hand-on was pending (say, while the mutex moved): it was
        // skipped, not granted.
        timers.cancel(passed.waitId());
        passed
            .replyTo()
            .tell(new Mutex.TimedOut(clock.toStory(Duration.ofMillis(passed.timeoutMillis()))));
      }
    }
    if (after.hold() == null) {
      Mutex.NewToken fence = new Mutex.NewToken(after.lastToken() + 1);
      after.guards().forEach(resource -> resource.tell(fence));
    } else if (before.hold() == null || before.hold().token() != after.hold().token()) {
      MutexRecord.Waiting granted = before.waitOf(after.hold().owner());
      if (granted != null) {
        timers.cancel(granted.waitId());
      }
      announce(after);
    }
  }

  /** Tells the resources the new token, then the new holder its grant. */
  private void announce(MutexRecord granted) {
    MutexRecord.Hold hold = granted.hold();
    Mutex.NewToken news = new Mutex.NewToken(hold.token());
    granted.guards().forEach(resource -> resource.tell(news));
    trace(TraceKind.GRANTED, hold.owner(), "token " + hold.token());
    hold.replyTo().tell(new Mutex.Granted(hold.token(), hold.depth()));
  }

  private Effect<MutexRecord> refuse(ActorRef<Mutex.Reply> replyTo, String reason) {
    return Effect().none().thenRun(() -> replyTo.tell(new Mutex.Rejected(reason)));
  }

  private void unwatchIfUninvolved(MutexRecord record, ActorRef<?> ref) {
    watch.unwatchUnless(record.involves(ref), ref);
  }
}
