package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.state.javadsl.DurableStateBehavior;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;

/**
 * What every durable-state primitive has: its context, timers and clock, the {@link EntityWatch}
 * over the actors in its record, the store it writes to, and its trace events. One entity; not
 * thread-safe.
 *
 * @param <S> the record the primitive keeps in the store
 */
abstract class DurableEntity<S> extends DurableStateBehavior<Object, S> {

  /** A watched holder, waiter or fenced resource stopped (or its node is gone). */
  record OwnerTerminated(ActorRef<?> owner) {}

  /** The wait {@code waitId} ran out after {@code waited} (story time). */
  record WaitExpired(long waitId, Duration waited) {}

  protected final ActorContext<Object> context;
  protected final TimerScheduler<Object> timers;
  protected final KitClock clock;
  protected final EntityWatch watch;
  private final Tracer tracer;
  private final PendingWrite<S> pending = new PendingWrite<>();

  protected DurableEntity(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, PendingWrite.ON_WRITE_FAILURE);
    this.context = context;
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.watch = new EntityWatch(context, OwnerTerminated::new);
  }

  @Override
  public final String durableStateStorePluginId() {
    return DurableKit.STATE_STORE;
  }

  /**
   * Writes {@code next}, then runs {@code after}; if the store refuses it, the entity restarts and,
   * once recovered, runs {@code after} if the store has {@code next} after all, else {@code failed}
   * ({@link PendingWrite}).
   */
  protected final akka.persistence.typed.state.javadsl.EffectBuilder<S> write(
      S next, Runnable failed, Runnable after) {
    pending.expect(next, after, failed);
    return Effect()
        .persist(next)
        .thenRun(
            () -> {
              pending.done();
              after.run();
            });
  }

  /**
   * Writes a change nobody asked for and so nobody waits to hear refused (an owner died, a wait ran
   * out), then runs {@code after}. If the store refuses it, the entity restarts and, once
   * recovered, runs {@code after} if the store has the change after all (the waiters it let in must
   * hear of it, or they would hold what they do not know of); if not, nothing: the recovery finds
   * the dead owner or the passed deadline again and makes the change again.
   */
  protected final akka.persistence.typed.state.javadsl.EffectBuilder<S> change(
      S next, Runnable after) {
    return write(next, () -> {}, after);
  }

  /** For each entity's signal handler, on {@code PreRestart}: a write failed. */
  protected final void restarting() {
    pending.failed();
    watch.forgetAll();
  }

  /**
   * For each entity's signal handler, on {@code RecoveryCompleted}, after it has watched its actors
   * again: settles a write that failed.
   */
  protected final void settle(S recovered) {
    pending.recovered(recovered);
  }

  /** Whether trace events are kept or listened to now. */
  protected final boolean tracing() {
    return tracer.enabled();
  }

  /** Emits a trace event that concerns nobody in particular; builds nothing when tracing is off. */
  protected final void trace(String kind, Object detail) {
    if (tracer.enabled()) {
      tracer.emit(context.getSelf(), kind, detail);
    }
  }

  /**
   * Emits a trace event that concerns {@code participant}, with the kinds of {@link
   * dev.actorkit.core.trace.TraceKind} where they apply, as the in-memory patterns do; builds
   * nothing when tracing is off.
   */
  protected final void trace(String kind, ActorRef<?> participant, Object detail) {
    if (tracer.enabled()) {
      tracer.emit(context.getSelf(), kind, participant, detail);
    }
  }
}
