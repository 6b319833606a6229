package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.state.javadsl.DurableStateBehavior;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.trace.Tracer;
import java.util.function.Function;

/**
 * What every durable-state primitive has: its context, timers and clock, the {@link EntityWatch}
 * over the actors in its record, the store it writes to, and its trace events. One entity; not
 * thread-safe.
 *
 * @param <S> the record the primitive keeps in the store
 */
abstract class DurableEntity<S> extends DurableStateBehavior<Object, S> {

  protected final ActorContext<Object> context;
  protected final TimerScheduler<Object> timers;
  protected final KitClock clock;
  protected final EntityWatch watch;
  private final Tracer tracer;

  /**
   * @param died the message this entity gets when a watched actor dies
   */
  protected DurableEntity(
      PersistenceId id,
      ActorContext<Object> context,
      TimerScheduler<Object> timers,
      Function<ActorRef<?>, Object> died) {
    super(id);
    this.context = context;
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.watch = new EntityWatch(context, died);
  }

  @Override
  public final String durableStateStorePluginId() {
    return DurableKit.STATE_STORE;
  }

  /** Emits a trace event; builds nothing when tracing is off. */
  protected final void trace(String kind, String detail) {
    if (tracer.enabled()) {
      tracer.emit(context.getSelf(), kind, detail);
    }
  }
}
