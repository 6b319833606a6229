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
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.patterns.semaphore.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A counting semaphore whose state outlives the JVM that hosts it: the {@link Semaphore} protocol,
 * kept as one {@link SemaphoreRecord} in the durable store and replaced on every change before
 * anyone hears of it. {@link DurableKit#semaphore} creates it (with its permits) and reaches it by
 * name, through the same {@code SemaphoreClient}.
 *
 * <p><b>What it keeps.</b> The permits (total and free), who holds how many, the waiters in FIFO
 * order with their deadlines, and the last token granted: after its host dies it starts on another
 * node as it was, watches its holders and waiters again (a dead holder's permits come back at once)
 * and answers the waiters whose deadlines passed meanwhile with {@code TimedOut}. Tokens never
 * repeat.
 *
 * <p><b>What it answers.</b> {@code Acquire}, {@code TryAcquire}, {@code Release}, {@code
 * Available} and {@code Status}, as {@link Semaphore} does: strict FIFO (a head that does not fit
 * blocks everyone behind it), bounded or not, every grant with a greater token than the ones
 * before. Before {@link Create} it refuses everything with {@code Rejected}.
 *
 * <p><b>When the store fails</b>, as for {@link DurableMutex}: the change is not made, and its
 * caller is answered {@code Rejected}.
 */
public final class DurableSemaphore extends DurableEntity<SemaphoreRecord> {

  /** The kind of persistence id and sharding entity: {@code actorkit-semaphore|name}. */
  public static final String KIND = "actorkit-semaphore";

  private static final String NOT_CREATED =
      "this semaphore has not been created (DurableKit.semaphore creates it)";

  /**
   * Creates the semaphore with {@code permits} (bounded or not), answered {@code Permits}; if it
   * exists already with the same settings that is the answer too, and with other settings {@code
   * Rejected}.
   */
  public record Create(int permits, boolean bounded, ActorRef<Semaphore.Reply> replyTo)
      implements KitMessage {}

  /** The semaphore named {@code name}, kept under {@code actorkit-semaphore|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DurableSemaphore(PersistenceId.of(KIND, name), context, timers)));
  }

  private DurableSemaphore(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, context, timers);
  }

  @Override
  public SemaphoreRecord emptyState() {
    return SemaphoreRecord.EMPTY;
  }

  @Override
  public CommandHandler<Object, SemaphoreRecord> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(
            Semaphore.Acquire.class,
            (record, c) -> request(record, c.permits(), null, c.owner(), c.replyTo()))
        .onCommand(
            Semaphore.TryAcquire.class,
            (record, c) -> request(record, c.permits(), c.timeout(), c.owner(), c.replyTo()))
        .onCommand(Semaphore.Release.class, this::onRelease)
        .onCommand(
            Semaphore.Available.class,
            (record, c) ->
                answer(
                    c.replyTo(),
                    record.exists()
                        ? new Semaphore.Permits(record.available(), record.total())
                        : new Semaphore.Rejected(NOT_CREATED)))
        .onCommand(Semaphore.Status.class, this::onStatus)
        .onCommand(OwnerTerminated.class, this::onOwnerTerminated)
        .onCommand(WaitExpired.class, this::onWaitExpired)
        .build();
  }

  @Override
  public SignalHandler<SemaphoreRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), record -> restarting())
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  private void recovered(SemaphoreRecord record) {
    record.involved().forEach(watch::watchRecovered);
    settleAfterTimers(record);
  }

  private void settleAfterTimers(SemaphoreRecord record) {
    for (SemaphoreRecord.Waiting waiting : record.waiters()) {
      Duration waited = clock.toStory(Duration.ofMillis(waiting.timeoutMillis()));
      EntityWatch.restartTimer(
          timers,
          waiting.waitId(),
          waiting.deadlineMillis(),
          new WaitExpired(waiting.waitId(), waited));
    }
    settle(record);
  }

  private Effect<SemaphoreRecord> onCreate(SemaphoreRecord record, Create create) {
    if (create.permits() < 1) {
      return answer(
          create.replyTo(),
          new Semaphore.Rejected("a semaphore needs at least one permit, got " + create.permits()));
    }
    if (record.exists()) {
      // An unbounded semaphore's total grows with extra releases: its flag is what must match.
      boolean same =
          record.bounded() == create.bounded()
              && (!record.bounded() || record.total() == create.permits());
      return answer(
          create.replyTo(),
          same
              ? new Semaphore.Permits(record.available(), record.total())
              : new Semaphore.Rejected(
                  "it exists with "
                      + record.total()
                      + (record.bounded() ? " permits (bounded)" : " permits (unbounded)")
                      + ", not "
                      + create.permits()
                      + (create.bounded() ? " (bounded)" : " (unbounded)")));
    }
    SemaphoreRecord created = record.created(create.permits(), create.bounded());
    return write(
        created,
        () -> create.replyTo().tell(new Semaphore.Rejected(PendingWrite.STORE_FAILED)),
        () -> create.replyTo().tell(new Semaphore.Permits(created.available(), created.total())));
  }

  private Effect<SemaphoreRecord> request(
      SemaphoreRecord record,
      int permits,
      Duration timeout,
      ActorRef<?> owner,
      ActorRef<Semaphore.Reply> replyTo) {
    String refusal =
        !record.exists()
            ? NOT_CREATED
            : timeout != null && timeout.isNegative()
                ? "the timeout must be zero or positive, got " + timeout
                : record.refuseAcquire(permits);
    if (refusal != null) {
      return answer(replyTo, new Semaphore.Rejected(refusal));
    }
    if (record.canGrantNow(permits)) {
      SemaphoreRecord granted = record.grantNow(owner, permits);
      return write(
          granted,
          () -> replyTo.tell(new Semaphore.Rejected(PendingWrite.STORE_FAILED)),
          () -> {
            watch.watch(owner);
            traceGrant(owner, permits, granted.lastToken(), record.heldBy(owner) == 0);
            trace(TraceKind.LEVEL, granted.available());
            replyTo.tell(new Semaphore.Granted(permits, granted.lastToken()));
          });
    }
    if (timeout != null && timeout.isZero()) {
      return answer(replyTo, new Semaphore.TimedOut(Duration.ZERO));
    }
    long waitId = record.nextWaitId();
    Duration real = timeout == null ? null : clock.toReal(timeout);
    SemaphoreRecord.Waiting waiting =
        new SemaphoreRecord.Waiting(
            owner,
            replyTo,
            permits,
            waitId,
            EntityWatch.deadlineOf(real),
            real == null ? 0 : real.toMillis());
    return write(
        record.enqueue(waiting),
        () -> replyTo.tell(new Semaphore.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          watch.watch(owner);
          trace(TraceKind.WAITING, owner, "for " + Semaphore.permits(permits));
          EntityWatch.restartTimer(
              timers, waitId, waiting.deadlineMillis(), new WaitExpired(waitId, timeout));
        });
  }

  private Effect<SemaphoreRecord> onRelease(SemaphoreRecord record, Semaphore.Release release) {
    String refusal =
        record.exists() ? record.refuseRelease(release.owner(), release.permits()) : NOT_CREATED;
    if (refusal != null) {
      return answer(release.replyTo(), new Semaphore.Rejected(refusal));
    }
    SemaphoreRecord.Changed changed = record.release(release.owner(), release.permits());
    SemaphoreRecord after = changed.record();
    return write(
        after,
        () -> release.replyTo().tell(new Semaphore.Rejected(PendingWrite.STORE_FAILED)),
        () -> {
          int still = after.heldBy(release.owner());
          trace(
              TraceKind.release(still == 0), release.owner(), Semaphore.permits(release.permits()));
          granted(changed.grants(), record, after);
          release.replyTo().tell(new Semaphore.Released(release.permits(), after.available()));
          watch.unwatchUnless(after.involves(release.owner()), release.owner());
        });
  }

  private Effect<SemaphoreRecord> onStatus(SemaphoreRecord record, Semaphore.Status status) {
    if (!record.exists()) {
      return answer(status.replyTo(), new Semaphore.Rejected(NOT_CREATED));
    }
    List<Semaphore.Holding> holders = new ArrayList<>();
    record
        .holders()
        .forEach(held -> holders.add(new Semaphore.Holding(held.owner(), held.permits())));
    List<Semaphore.Waiting> waiters = new ArrayList<>();
    record
        .waiters()
        .forEach(waiting -> waiters.add(new Semaphore.Waiting(waiting.owner(), waiting.permits())));
    return answer(
        status.replyTo(),
        new Semaphore.StatusReport(
            record.total(), record.available(), record.bounded(), holders, waiters));
  }

  private Effect<SemaphoreRecord> onOwnerTerminated(
      SemaphoreRecord record, OwnerTerminated terminated) {
    ActorRef<?> dead = terminated.owner();
    watch.died(dead);
    if (!record.involves(dead)) {
      return Effect().none();
    }
    SemaphoreRecord.Changed changed = record.ownerDied(dead);
    return change(
        changed.record(),
        () -> {
          record.waiters().stream()
              .filter(waiting -> waiting.owner().equals(dead))
              .forEach(
                  waiting -> {
                    timers.cancel(waiting.waitId());
                    trace(TraceKind.DROPPED, dead, "its owner died while waiting");
                  });
          int freed = record.heldBy(dead);
          if (freed > 0) {
            trace(TraceKind.REVOKED, dead, Semaphore.permits(freed) + " (its owner died)");
          }
          granted(changed.grants(), record, changed.record());
        });
  }

  private Effect<SemaphoreRecord> onWaitExpired(SemaphoreRecord record, WaitExpired expired) {
    SemaphoreRecord.Waiting leaving = record.waitOf(expired.waitId());
    if (leaving == null) {
      return Effect().none();
    }
    SemaphoreRecord.Changed changed = record.withoutWait(expired.waitId());
    SemaphoreRecord after = changed.record();
    return change(
        after,
        () -> {
          trace(TraceKind.TIMED_OUT, leaving.owner(), "after " + expired.waited());
          leaving.replyTo().tell(new Semaphore.TimedOut(expired.waited()));
          granted(changed.grants(), record, after);
          watch.unwatchUnless(after.involves(leaving.owner()), leaving.owner());
        });
  }

  /**
   * Tells the waiters a change (from {@code before} to {@code after}) let in that they hold their
   * permits now, and traces the permits free after it.
   */
  private void granted(
      List<SemaphoreRecord.Grant> grants, SemaphoreRecord before, SemaphoreRecord after) {
    for (SemaphoreRecord.Grant grant : grants) {
      SemaphoreRecord.Waiting waiting = grant.waiting();
      timers.cancel(waiting.waitId());
      traceGrant(
          waiting.owner(), waiting.permits(), grant.token(), before.heldBy(waiting.owner()) == 0);
      waiting.replyTo().tell(new Semaphore.Granted(waiting.permits(), grant.token()));
    }
    trace(TraceKind.LEVEL, after.available());
  }

  /**
   * A grant, as {@code Semaphore} traces it: {@code granted} with its token when it is the owner's
   * first hold, so the holding span lasts until the release that leaves it nothing.
   */
  private void traceGrant(ActorRef<?> owner, int permits, long token, boolean first) {
    if (tracing()) {
      trace(TraceKind.grant(first), owner, Semaphore.permits(permits) + ", token " + token);
    }
  }

  private Effect<SemaphoreRecord> answer(ActorRef<Semaphore.Reply> replyTo, Semaphore.Reply reply) {
    return Effect().none().thenRun(() -> replyTo.tell(reply));
  }
}
