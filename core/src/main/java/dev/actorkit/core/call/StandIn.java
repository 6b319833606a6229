package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The short-lived actor that makes one call on behalf of a plain-Java caller, and the handle on
 * it: the owner a pattern actor watches, and where it replies.
 *
 * <p>Its life: it is spawned (a system actor named {@code caller-N}, on the coordination
 * dispatcher), the caller's thread sends the request naming it, and it watches the target. The
 * first reply is read into the caller's value (see {@link Callers.Holding}); if the caller takes
 * the value, the stand-in runs what was asked to run {@linkplain #afterAccepted after acceptance}
 * (an acknowledgement) and either stops or, if the reading {@linkplain #keep() kept} it, lives on
 * as the holder until {@link #stop()} — typically from a {@link Handle}'s release. It stops at
 * once if the caller walked away, if no reply comes within {@link Callers#answerBound}, or if the
 * target stops; a pattern actor that watches it then gives back what it held and drops its
 * waits. That is the whole of the walk-away rule: one actor's death, which every pattern actor
 * already handles.
 *
 * <p>{@link #ref()}, {@link #stop()} and {@link #isStopped()} are thread-safe; {@link #keep()},
 * {@link #afterAccepted} and {@link #onLater} may only be called while reading the reply.
 */
public final class StandIn implements Handle.Holder {

  private static final AtomicLong ids = new AtomicLong();

  /** Set once, right after the spawn and before this object reaches any other thread; the actor itself never reads it. */
  private ActorRef<Object> ref;

  private final AtomicBoolean stopped = new AtomicBoolean();
  /** Set by the first request to end it, so that later ones send nothing to an actor that is gone. */
  private final AtomicBoolean ending = new AtomicBoolean();
  /** The call, from the spawning thread to the actor, which takes it once. */
  private final AtomicReference<Actor.Start<?, ?>> call = new AtomicReference<>();
  // Set while the reply is read, on the stand-in's own thread, and read there only.
  private boolean kept;
  private List<Runnable> afterAccepted;
  private Consumer<Object> later;

  private StandIn() {}

  /** The actor that stands for the caller: the owner the target watches. */
  public ActorRef<?> ref() {
    return ref;
  }

  /** The same actor, typed as the target's reply address. */
  @SuppressWarnings("unchecked")
  <Res> ActorRef<Res> replyTo() {
    return (ActorRef<Res>) (ActorRef<?>) ref;
  }

  /** While reading the reply: it leaves something held for this stand-in; live on until {@link #stop()}. */
  public void keep() {
    kept = true;
  }

  /** While reading the reply: once the caller has taken the value, run {@code action} (an acknowledgement to the target). */
  public void afterAccepted(Runnable action) {
    if (afterAccepted == null) {
      afterAccepted = new ArrayList<>(1);
    }
    afterAccepted.add(action);
  }

  /** While reading the reply of a kept stand-in: what to do with messages that come later (a lock's {@code Revoked}). */
  public void onLater(Consumer<Object> handler) {
    later = handler;
  }

  /** Stops the stand-in; a target that watches it gives back whatever it still holds. Idempotent. */
  public void stop() {
    if (ending.compareAndSet(false, true)) {
      Quietly.tell(ref, Control.STOP);
    }
  }

  /**
   * Has the stand-in tell {@code target} its last message and stop: the message reaches the
   * target before the target learns that the stand-in stopped (an acknowledgement that must not be
   * overtaken by the death that would give the item back). Does nothing if it is already ending.
   */
  public <M> void farewell(ActorRef<M> target, M message) {
    if (ending.compareAndSet(false, true)) {
      Quietly.tell(ref, new Farewell<>(target, message));
    }
  }

  /** Whether the stand-in has stopped (what it held went back, or went with its target). */
  public boolean isStopped() {
    return stopped.get();
  }

  /** A handle's release was answered: the stand-in's work is done. */
  @Override
  public void released() {
    stop();
  }

  /** A handle on what it holds became unreachable: stopping gives it back. */
  @Override
  public void abandoned() {
    stop();
  }

  @Override
  public boolean isGone() {
    return isStopped();
  }

  /**
   * The blocking caller left and asked the target to withdraw the call: a reply of type
   * {@code withdrawn} ends the call with {@code why}; the call's own answer, if it comes first,
   * still reaches the caller.
   */
  void withdrawing(Throwable why, Class<?> withdrawn) {
    Quietly.tell(ref, new Withdrawing(why, withdrawn));
  }

  /** The caller walked away before the answer: stop, so that the target lets go. */
  void walkAway() {
    if (ending.compareAndSet(false, true)) {
      Quietly.tell(ref, Control.WALK_AWAY);
    }
  }

  @Override
  public String toString() {
    return "StandIn[" + ref.path().name() + (stopped.get() ? ", stopped]" : "]");
  }

  /** Spawns a stand-in for one call; the caller sends the request right after. */
  static <Res, V> StandIn spawn(
      Callers callers, ActorRef<?> target, Duration timeout, String what, Settlement<V> settlement, Callers.Holding<Res, V> read) {
    StandIn standIn = new StandIn();
    // The call travels to the actor through the stand-in and is dropped there: Akka keeps the
    // initial behaviour for restarts, and a closure holding the settlement would keep whatever the
    // caller is handed (a handle) reachable as long as the stand-in lives.
    standIn.call.set(new Actor.Start<>(callers, target, timeout, what, settlement, read));
    Behavior<Object> behavior = Behaviors.setup(context -> Behaviors.withTimers(timers -> new Actor<>(context, timers, standIn)));
    try {
      standIn.ref = callers.system().systemActorOf(behavior, "caller-" + ids.incrementAndGet(), callers.standInDispatcher());
    } catch (IllegalStateException terminating) {
      throw new ClosedException("the kit " + callers.system().name() + " is closed; cannot go on with " + what, terminating);
    }
    return standIn;
  }

  private enum Control {
    WALK_AWAY,
    STOP,
    DEADLINE,
    TARGET_GONE
  }

  private record Settled(boolean accepted) {}

  private record Withdrawing(Throwable why, Class<?> withdrawn) {}

  private record Farewell<M>(ActorRef<M> target, M message) {
    void send() {
      target.tell(message);
    }
  }

  /** The stand-in's behaviour: waiting for the answer, then settling it, then (if kept) holding. */
  private static final class Actor<Res, V> extends AbstractOnMessageBehavior<Object> {

    private enum Phase {
      WAITING,
      SETTLING,
      HOLDING
    }

    private final StandIn handle;
    private final TimerScheduler<Object> timers;
    private final ActorRef<?> target;
    private final Duration timeout;
    private final String what;
    /** Dropped once settled, so that the value handed to the caller (a handle) is not kept alive by this actor. */
    private Settlement<V> settlement;
    private final Callers.Holding<Res, V> read;
    private Phase phase = Phase.WAITING;
    private boolean targetGone;
    /** Set when the blocking caller left and asked the target to withdraw the call. */
    private Withdrawing withdrawing;

    /** What the actor needs of the call it makes. */
    record Start<Res, V>(Callers callers, ActorRef<?> target, Duration timeout, String what, Settlement<V> settlement, Callers.Holding<Res, V> read) {}

    @SuppressWarnings("unchecked")
    Actor(ActorContext<Object> context, TimerScheduler<Object> timers, StandIn handle) {
      super(context);
      Start<Res, V> start = (Start<Res, V>) handle.call.getAndSet(null);
      this.handle = handle;
      this.timers = timers;
      this.target = start.target();
      this.timeout = start.timeout();
      this.what = start.what();
      this.settlement = start.settlement();
      this.read = start.read();
      context.watchWith(target, Control.TARGET_GONE);
      timers.startSingleTimer(Control.DEADLINE, start.callers().answerBound(timeout));
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      if (message instanceof Control control) {
        return onControl(control);
      }
      if (message instanceof Settled settled) {
        return onSettled(settled.accepted());
      }
      if (message instanceof Farewell<?> farewell) {
        farewell.send();
        return Behaviors.stopped();
      }
      if (message instanceof Withdrawing withdrawing) {
        this.withdrawing = withdrawing;
        return this;
      }
      return onReply(message);
    }

    private Behavior<Object> onControl(Control control) {
      switch (control) {
        case WALK_AWAY:
          // Settling: the answer already raced the caller, and Settled says who won.
          return phase == Phase.WAITING ? Behaviors.stopped() : this;
        case STOP:
          return Behaviors.stopped();
        case DEADLINE:
          if (phase == Phase.WAITING) {
            settlement.fail(new TimedOutException("an answer from " + Callers.nameOf(target) + " to " + what, timeout));
            return Behaviors.stopped();
          }
          return this;
        case TARGET_GONE:
          targetGone = true;
          if (phase == Phase.WAITING) {
            settlement.fail(new ClosedException(Callers.nameOf(target) + " stopped before it answered " + what));
            return Behaviors.stopped();
          }
          // Whatever it held is gone with the target.
          return phase == Phase.HOLDING ? Behaviors.stopped() : this;
        default:
          throw new IllegalStateException("unknown control " + control);
      }
    }

    @SuppressWarnings("unchecked")
    private Behavior<Object> onReply(Object reply) {
      if (withdrawing != null && withdrawing.withdrawn().isInstance(reply)) {
        if (phase == Phase.WAITING) {
          phase = Phase.SETTLING;
          settlement.fail(withdrawing.why()); // withdrawn before it was carried out
          return Behaviors.stopped();
        }
        return this; // the call's answer came first and is being settled
      }
      if (phase == Phase.WAITING) {
        phase = Phase.SETTLING;
        timers.cancel(Control.DEADLINE);
        V value;
        try {
          value = read.read((Res) reply, handle);
        } catch (RuntimeException refused) {
          settlement.fail(refused);
          return Behaviors.stopped();
        }
        ActorRef<Object> self = getContext().getSelf();
        settlement.deliver(value, accepted -> self.tell(new Settled(accepted)));
      } else if (phase == Phase.HOLDING && handle.later != null) {
        handle.later.accept(reply);
      } else {
        getContext().getLog().debug("{} ignores {}, which came after the answer to {}", getContext().getSelf().path().name(), reply, what);
      }
      return this;
    }

    private Behavior<Object> onSettled(boolean accepted) {
      settlement = null;
      if (!accepted) {
        return Behaviors.stopped(); // the caller walked away first: the target takes back what it gave
      }
      if (handle.afterAccepted != null) {
        handle.afterAccepted.forEach(Runnable::run);
      }
      if (handle.kept && !targetGone) {
        phase = Phase.HOLDING;
        return this;
      }
      return Behaviors.stopped();
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
      if (signal instanceof PostStop) {
        handle.stopped.set(true);
        handle.ending.set(true);
        if (phase == Phase.WAITING) {
          settlement.fail(new ClosedException("the kit closed before " + Callers.nameOf(target) + " answered " + what));
        }
      }
      return this;
    }
  }
}
