package dev.actorkit.core.call;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stand-in actors of one actor system, and how each serves one call after another.
 *
 * <p>A stand-in is a system actor named {@code caller-N} on the coordination dispatcher. A call
 * borrows an idle one (or spawns one), records itself on it, and the calling thread sends the
 * request naming it. A call that ends with its one answer, taken by the caller, with nothing held
 * for it (a take, a wait, a put, a refusal, a timeout the target answered) hands the stand-in
 * back for the next call: spawning an actor and watching it cost more than the call itself. Every
 * other end stops it — a caller that walked away, a missing answer, a target that stopped, a
 * withdrawal — and a stand-in that holds something (a permit, a lock, a delivery) is never reused:
 * it stops once what it holds is released. So a late message for one call can never be taken for
 * the answer to another. At most {@link #MAX_IDLE} wait idle; they stop with the actor system.
 *
 * <p>A stand-in watches each target it has called, once, for as long as both live, so that a call
 * to a target that stops ends at once with {@link ClosedException}. Thread-safe.
 */
final class StandIns {

  /** How many idle stand-ins wait for a call at most; more are stopped. */
  static final int MAX_IDLE = 64;

  private static final AtomicLong names = new AtomicLong();

  private final Callers callers;
  private final ConcurrentLinkedDeque<Slot> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  StandIns(Callers callers) {
    this.callers = callers;
  }

  /** A stand-in for one call, recorded on it before anything is sent; the caller sends the request next. */
  <Res, V> StandIn begin(ActorRef<?> target, Duration timeout, String what, Settlement<V> settlement, Callers.Holding<Res, V> read) {
    Slot slot = borrow(what);
    StandIn standIn = new StandIn(slot, slot.uses.incrementAndGet());
    Use<Res, V> use = new Use<>(standIn, target, timeout, what, settlement, read);
    slot.current.set(use);
    if (slot.watching.add(target)) {
      slot.tell(new WatchTarget(target)); // sent before the request, so it is handled before the answer
    }
    long id = standIn.use();
    use.deadline =
        callers.system().scheduler().scheduleOnce(callers.answerBound(timeout), () -> slot.tell(new Deadline(id)), callers.system().executionContext());
    return standIn;
  }

  private Slot borrow(String what) {
    for (Slot slot = idle.pollFirst(); slot != null; slot = idle.pollFirst()) {
      idleCount.decrementAndGet();
      if (!slot.isStopped()) {
        return slot;
      }
    }
    Slot slot = new Slot();
    try {
      slot.ref = callers.system().systemActorOf(Behaviors.setup(context -> new Actor(context, slot, this)), "caller-" + names.incrementAndGet(), callers.standInDispatcher());
    } catch (IllegalStateException terminating) {
      throw new ClosedException("the kit " + callers.system().name() + " is closed; cannot go on with " + what, terminating);
    }
    return slot;
  }

  /** A call ended cleanly on {@code slot}: it waits for the next one, unless enough already wait. */
  private boolean recycle(Slot slot) {
    if (callers.isClosed() || idleCount.incrementAndGet() > MAX_IDLE) {
      idleCount.decrementAndGet();
      return false;
    }
    idle.addFirst(slot); // last in, first out: the warmest stand-in serves next
    return true;
  }

  /** One stand-in actor as the calling threads see it. */
  static final class Slot {
    /** Set once, right after the spawn, before the slot reaches any other thread; the actor uses its own reference. */
    private ActorRef<Object> ref;
    private final AtomicLong uses = new AtomicLong();
    private final AtomicReference<Use<?, ?>> current = new AtomicReference<>();
    private final Set<ActorRef<?>> watching = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();

    ActorRef<Object> ref() {
      return ref;
    }

    @SuppressWarnings("unchecked")
    <Res> ActorRef<Res> replyTo() {
      return (ActorRef<Res>) (ActorRef<?>) ref;
    }

    long currentUse() {
      return uses.get();
    }

    boolean isStopped() {
      return stopped.get();
    }

    void tell(Object message) {
      Quietly.tell(ref, message);
    }
  }

  /** One call on a stand-in: what it needs to settle the answer. Its phase belongs to the actor. */
  static final class Use<Res, V> {
    final StandIn standIn;
    final ActorRef<?> target;
    final Duration timeout;
    final String what;
    final Callers.Holding<Res, V> read;
    /** Dropped once settled, so that the value handed to the caller (a handle) is not kept alive by the stand-in. */
    Settlement<V> settlement;
    Cancellable deadline;
    Phase phase = Phase.WAITING;
    Withdrawing withdrawing;
    boolean targetGone;

    Use(StandIn standIn, ActorRef<?> target, Duration timeout, String what, Settlement<V> settlement, Callers.Holding<Res, V> read) {
      this.standIn = standIn;
      this.target = target;
      this.timeout = timeout;
      this.what = what;
      this.settlement = settlement;
      this.read = read;
    }
  }

  enum Phase {
    WAITING,
    SETTLING,
    HOLDING
  }

  // Messages to a stand-in; each that concerns one call names it, so that a late one for an earlier call is ignored.
  record WatchTarget(ActorRef<?> target) {}

  record TargetGone(ActorRef<?> target) {}

  record Deadline(long use) {}

  record WalkAway(long use) {}

  record End(long use) {}



  record Withdrawing(long use, Throwable why, Class<?> withdrawn) {}

  record Farewell<M>(long use, ActorRef<M> target, M message) {
    void send() {
      target.tell(message);
    }
  }

  /** A stand-in's behaviour: it settles the answer of its current call, holds for it if asked, and serves the next. */
  private static final class Actor extends AbstractOnMessageBehavior<Object> {

    private final Slot slot;
    private final StandIns pool;

    Actor(ActorContext<Object> context, Slot slot, StandIns pool) {
      super(context);
      this.slot = slot;
      this.pool = pool;
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      Use<?, ?> use = slot.current.get();
      if (message instanceof WatchTarget watch) {
        getContext().watchWith(watch.target(), new TargetGone(watch.target()));
        return this;
      } else if (message instanceof TargetGone gone) {
        return onTargetGone(use, gone.target());
      } else if (message instanceof Deadline deadline) {
        return mine(use, deadline.use()) ? onDeadline(use) : this;
      } else if (message instanceof WalkAway walkAway) {
        // Only a waiting call stops: the answer of any other was settled, and lost or won the race there.
        return mine(use, walkAway.use()) && use.phase == Phase.WAITING ? Behaviors.stopped() : this;
      } else if (message instanceof End end) {
        return mine(use, end.use()) ? Behaviors.stopped() : this;
      } else if (message instanceof Farewell<?> farewell) {
        if (mine(use, farewell.use())) {
          farewell.send();
          return Behaviors.stopped();
        }
        return this;
      } else if (message instanceof Withdrawing withdrawing) {
        if (mine(use, withdrawing.use())) {
          use.withdrawing = withdrawing;
        }
        return this;
      }
      return onReply(use, message);
    }

    private static boolean mine(Use<?, ?> use, long id) {
      return use != null && use.standIn.use() == id;
    }

    private Behavior<Object> onDeadline(Use<?, ?> use) {
      if (use.phase != Phase.WAITING) {
        return this;
      }
      use.settlement.fail(new TimedOutException("an answer from " + Callers.nameOf(use.target) + " to " + use.what, use.timeout));
      return Behaviors.stopped(); // the answer may still come: this stand-in serves no other call
    }

    private Behavior<Object> onTargetGone(Use<?, ?> use, ActorRef<?> target) {
      slot.watching.remove(target);
      if (use == null || !use.target.equals(target)) {
        return this;
      }
      use.targetGone = true;
      if (use.phase == Phase.WAITING) {
        use.settlement.fail(new ClosedException(Callers.nameOf(target) + " stopped before it answered " + use.what));
        return Behaviors.stopped();
      }
      // Whatever it held is gone with the target; a call being settled stops once settled.
      return use.phase == Phase.HOLDING ? Behaviors.stopped() : this;
    }

    @SuppressWarnings("unchecked")
    private <Res, V> Behavior<Object> onReply(Use<Res, V> use, Object reply) {
      if (use == null || use.phase != Phase.WAITING) {
        if (use != null && use.phase == Phase.HOLDING && use.standIn.later() != null) {
          use.standIn.later().accept(reply);
        } else {
          getContext().getLog().debug("{} ignores {}, which answers no call of it", getContext().getSelf().path().name(), reply);
        }
        return this;
      }
      use.phase = Phase.SETTLING;
      use.deadline.cancel();
      if (use.withdrawing != null && use.withdrawing.withdrawn().isInstance(reply)) {
        use.settlement.fail(use.withdrawing.why()); // withdrawn before it was carried out
        return Behaviors.stopped();
      }
      V value;
      try {
        value = use.read.read((Res) reply, use.standIn);
      } catch (RuntimeException refused) {
        use.settlement.fail(refused);
        return done(use); // the one answer came: nothing more is on its way
      }
      return onSettled(use, use.settlement.deliver(value));
    }

    private Behavior<Object> onSettled(Use<?, ?> use, boolean accepted) {
      use.settlement = null;
      if (!accepted) {
        return Behaviors.stopped(); // the caller walked away first: the target takes back what it gave
      }
      use.standIn.runAfterAccepted();
      if (use.standIn.kept()) {
        use.phase = Phase.HOLDING;
        return use.targetGone ? Behaviors.stopped() : this;
      }
      return done(use);
    }

    /** The call ended with its one answer and holds nothing: serve the next, unless a withdrawal's answer is still on its way. */
    private Behavior<Object> done(Use<?, ?> use) {
      if (use.withdrawing != null || use.targetGone || !slot.current.compareAndSet(use, null)) {
        return Behaviors.stopped();
      }
      return pool.recycle(slot) ? this : Behaviors.stopped(); // recycling is the last thing this call does here
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
      if (signal instanceof PostStop) {
        slot.stopped.set(true);
        Use<?, ?> use = slot.current.get();
        if (use != null && use.phase == Phase.WAITING) {
          if (use.deadline != null) {
            use.deadline.cancel();
          }
          use.settlement.fail(new ClosedException("the kit closed before " + Callers.nameOf(use.target) + " answered " + use.what));
        }
      }
      return this;
    }
  }
}
