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
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The stand-in actors of one actor system, and how each serves one call after another.
 *
 * <p>A stand-in is a system actor named {@code caller-N} on the coordination dispatcher. A call
 * borrows an idle one (or spawns one), records itself on it, and the calling thread sends the
 * request naming it. A call that ends with its one answer, taken by the caller, with nothing held
 * for it and no withdrawal ever sent (a take, a wait, a put, a refusal, a timeout the target
 * answered) hands the stand-in back for the next call: spawning an actor and watching it cost more
 * than the call itself. Every other end stops it — a caller that walked away, a missing answer, a
 * target that stopped, a withdrawal. A stand-in that holds something (a permit, a lock) serves no
 * other call until it is released; a release made by the stand-in itself ({@link #byHolder}) is one
 * more call on it, whose answer the target sends after anything it said about the hold, so once it
 * is answered the stand-in is free again. One released any other way (a delivery's acknowledgement,
 * a handle given back unreleased) stops. So a late message for one call can never be taken for the
 * answer to another. At most {@link #MAX_IDLE} wait idle; they stop with the actor system.
 *
 * <p>The state of a call: waiting for its answer; settling it; taking (the caller has the value and
 * what must follow it, an acknowledgement, is being sent); holding; withdrawing.
 *
 * <p>Whether a call is settled by its answer or withdrawn by its caller is decided once, by a
 * compare-and-set on the call's state: the stand-in moves it from waiting to settling when the
 * answer comes, a caller that leaves moves it from waiting to withdrawing before it sends the
 * target anything. Only the winner acts.
 *
 * <p>A stand-in watches each target it has called, once, for as long as both live, so that a call
 * to a target that stops ends at once with {@link ClosedException}. Thread-safe.
 */
final class StandIns {

  /** How many idle stand-ins wait for a call at most; more are stopped. */
  static final int MAX_IDLE = 64;

  static final int WAITING = 0;
  static final int SETTLING = 1;
  static final int HOLDING = 2;
  static final int WITHDRAWING = 3;

  /**
   * Delivered; what follows the caller's taking of the value (an acknowledgement) is not sent yet.
   */
  static final int TAKING = 4;

  private static final AtomicLong names = new AtomicLong();

  private final Callers callers;
  private final ConcurrentLinkedDeque<Slot> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  private final Tracer tracer;

  StandIns(Callers callers) {
    this.callers = callers;
    this.tracer = callers.tracer();
  }

  /**
   * A stand-in for one call, recorded on it before anything is sent; the caller sends the request
   * next (and stops the stand-in if that fails).
   */
  <Res, V> StandIn begin(
      ActorRef<?> target,
      Duration timeout,
      String what,
      Settlement<V> settlement,
      Callers.Holding<Res, V> read,
      Withdrawable withdrawable) {
    Slot slot = borrow(what);
    if (tracer.enabled()) {
      // a timeline names the calling thread, not the stand-in that a pattern sees as the owner
      slot.tracedFor = Thread.currentThread().getName();
      tracer.alias(slot.ref, slot.tracedFor);
    }
    long id = slot.uses.incrementAndGet();
    Use<Res, V> use = new Use<>(slot, id, target, timeout, what, settlement, read);
    use.withdrawable = withdrawable;
    try {
      scheduleDeadline(use, callers.answerBound(timeout));
      slot.current.set(use); // published with its deadline set
      if (slot.isStopped()) {
        // it stopped (the kit is closing) and may have missed this call: nobody else will end it
        throw new ClosedException(
            "the kit " + callers.system().name() + " is closed; cannot go on with " + what);
      }
      if (slot.watching.add(target)) {
        slot.tell(
            new WatchTarget(target)); // told before the request, so it is handled before the answer
      }
    } catch (RuntimeException failed) {
      use.standIn.stop();
      throw failed;
    }
    return use.standIn;
  }

  private void scheduleDeadline(Use<?, ?> use, Duration after) {
    Slot slot = use.standIn.slot();
    long id = use.standIn.use();
    use.deadline =
        callers
            .system()
            .scheduler()
            .scheduleOnce(
                after, () -> slot.tell(new Deadline(id)), callers.system().executionContext());
  }

  /**
   * How a call whose effect cannot be given back (a put) is withdrawn: the confirmation's type, and
   * how to ask for it.
   */
  record Withdrawable(Class<?> confirmation, Consumer<StandIn> send) {}

  /**
   * A further call made by the stand-in that holds something, as its holder — a release, a wait on
   * a condition of a held lock — as a new call on it, so that the target's answer comes after
   * anything it said about what is held. Answered, the stand-in holds on if the reading kept it,
   * and otherwise serves the next call instead of stopping. Null if {@code held} no longer holds
   * (it stopped, or is ending).
   */
  <Res, V> StandIn byHolder(
      StandIn held,
      ActorRef<?> target,
      Duration timeout,
      String what,
      Settlement<V> settlement,
      Callers.Holding<Res, V> read) {
    Slot slot = held.slot();
    Use<?, ?> holding = slot.current.get();
    if (holding == null
        || holding.standIn != held
        || holding.state.get() != HOLDING
        || slot.isStopped()
        || !held.claimEnding()) {
      return null;
    }
    long id =
        slot.uses
            .incrementAndGet(); // from here the held call counts as over: its handle sees it gone
    Use<Res, V> use = new Use<>(slot, id, target, timeout, what, settlement, read);
    use.notices = held.later(); // what the target says about the hold until it answers the release
    scheduleDeadline(use, callers.answerBound(timeout));
    if (!slot.current.compareAndSet(holding, use) || slot.isStopped()) {
      // Only this claim moves a held call on, so the first cannot fail; the second: it stopped
      // meanwhile and may have missed this call. Either way what it held went with it.
      use.deadline.cancel();
      held.slot().tell(new End(id));
      return null;
    }
    if (slot.watching.add(target)) {
      slot.tell(new WatchTarget(target));
    }
    return use.standIn;
  }

  private Slot borrow(String what) {
    if (tracer.enabled()) {
      Slot own = borrowTracedFor(Thread.currentThread().getName());
      if (own != null) {
        return own;
      }
    } else {
      for (Slot slot = idle.pollFirst(); slot != null; slot = idle.pollFirst()) {
        idleCount.decrementAndGet();
        if (!slot.isStopped()) {
          return slot;
        }
      }
    }
    Slot slot = new Slot();
    try {
      slot.ref =
          callers
              .system()
              .systemActorOf(
                  Behaviors.setup(context -> new Actor(context, slot, this)),
                  "caller-" + names.incrementAndGet(),
                  callers.standInDispatcher());
    } catch (IllegalStateException terminating) {
      throw new ClosedException(
          "the kit " + callers.system().name() + " is closed; cannot go on with " + what,
          terminating);
    }
    return slot;
  }

  /**
   * While tracing, an idle stand-in last lent to {@code thread} (or never traced), or null. A
   * stand-in lent to another thread may still have a one-way request of that thread on its way (a
   * release is not answered), which the pattern traces under the stand-in's name when it gets
   * there: lent to this thread meanwhile, it would be traced as this thread's.
   */
  private Slot borrowTracedFor(String thread) {
    for (Slot slot : idle) {
      String last = slot.tracedFor;
      if ((last == null || last.equals(thread)) && idle.removeFirstOccurrence(slot)) {
        idleCount.decrementAndGet();
        if (!slot.isStopped()) {
          return slot;
        }
      }
    }
    return null;
  }

  /**
   * A call ended cleanly on {@code slot}: it waits for the next one, unless enough already wait.
   */
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
    /**
     * Set once, right after the spawn, before the slot reaches any other thread; the actor uses its
     * own reference.
     */
    private ActorRef<Object> ref;

    private final AtomicLong uses = new AtomicLong();
    private final AtomicReference<Use<?, ?>> current = new AtomicReference<>();
    private final Set<ActorRef<?>> watching = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** The thread it was last lent to while tracing was on; written by the borrowing thread. */
    private volatile String tracedFor;

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

  /**
   * One call on a stand-in: what it needs to settle the answer, and the state that decides who
   * does.
   */
  static final class Use<Res, V> {
    final StandIn standIn;
    final ActorRef<?> target;
    final Duration timeout;
    final String what;
    final Callers.Holding<Res, V> read;

    /** Waiting, settling, holding or withdrawing; see the class comment. */
    final AtomicInteger state = new AtomicInteger(WAITING);

    /**
     * Dropped once settled, so that the value handed to the caller (a handle) is not kept alive by
     * the stand-in.
     */
    volatile Settlement<V> settlement;

    volatile Cancellable deadline;

    /**
     * Set once, by the first caller request to withdraw, before it moves the state: the stand-in
     * sees it once it sees the state.
     */
    final AtomicReference<Withdrawing> withdrawing = new AtomicReference<>();

    boolean targetGone;

    /** For a release: the notices about what was held, which may still come before the answer. */
    StandIn.Notices<?> notices;

    /** For a call whose effect cannot be given back: how to withdraw it. Null for others. */
    Withdrawable withdrawable;

    /**
     * While withdrawing: until when (System.nanoTime) the target's verdict is awaited before the
     * call ends without it.
     */
    volatile long verdictBy;

    /**
     * Whether the stand-in may serve another call once this one is done (no withdrawal was sent for
     * it); the actor's own.
     */
    boolean reusable;

    Use(
        Slot slot,
        long id,
        ActorRef<?> target,
        Duration timeout,
        String what,
        Settlement<V> settlement,
        Callers.Holding<Res, V> read) {
      this.standIn = new StandIn(slot, id, this);
      this.target = target;
      this.timeout = timeout;
      this.what = what;
      this.settlement = settlement;
      this.read = read;
    }

    /**
     * The caller leaves and asks the target to withdraw the call: true if that is now so, false if
     * the answer is already being settled (then the caller just waits for it).
     */
    boolean startWithdrawing(Throwable why, Class<?> withdrawn, Duration verdictWithin) {
      // Only the first request records why: a walk-away after a timed-out wait must not erase the
      // timeout.
      if (!withdrawing.compareAndSet(null, new Withdrawing(why, withdrawn))) {
        return false;
      }
      verdictBy = System.nanoTime() + verdictWithin.toNanos();
      return state.compareAndSet(WAITING, WITHDRAWING);
    }
  }

  /**
   * Why a call is withdrawn, and the reply type that confirms it. {@code why} is null when the
   * caller walked away: then nobody waits for the confirmation, which goes nowhere.
   */
  record Withdrawing(Throwable why, Class<?> confirmation) {}

  // Messages to a stand-in; each that concerns one call names it, so that a late one for an earlier
  // call is ignored.
  record WatchTarget(ActorRef<?> target) {}

  record TargetGone(ActorRef<?> target) {}

  record Deadline(long use) {}

  record WalkAway(long use) {}

  record End(long use) {}

  /** The caller took the value of call {@code use}, and what had to follow it is sent. */
  record Taken(long use) {}

  record Farewell<M>(long use, ActorRef<M> target, M message) {
    void send() {
      target.tell(message);
    }
  }

  /**
   * A stand-in's behaviour: it settles the answer of its current call, holds for it if asked, and
   * serves the next.
   */
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
      if (message instanceof WatchTarget watch) {
        getContext().watchWith(watch.target(), new TargetGone(watch.target()));
        return this;
      } else if (message instanceof TargetGone gone) {
        return onTargetGone(gone.target());
      }
      Use<?, ?> use = slot.current.get();
      if (message instanceof Deadline deadline) {
        return mine(use, deadline.use()) ? onDeadline(use) : this;
      } else if (message instanceof WalkAway walkAway) {
        // A call that waits or is being withdrawn stops; the answer of any other was settled, and
        // lost or won the race there.
        int state = mine(use, walkAway.use()) ? use.state.get() : -1;
        return state == WAITING || state == WITHDRAWING ? Behaviors.stopped() : this;
      } else if (message instanceof End end) {
        return mine(use, end.use()) ? Behaviors.stopped() : this;
      } else if (message instanceof Taken taken) {
        return mine(use, taken.use()) && use.state.get() == TAKING ? afterTaken(use) : this;
      } else if (message instanceof Farewell<?> farewell) {
        if (mine(use, farewell.use())) {
          farewell.send();
          return Behaviors.stopped();
        }
        return this;
      }
      try {
        return onReply(use, message);
      } catch (RuntimeException bug) {
        // Whatever went wrong, the caller hears of it and this stand-in serves no other call.
        if (use != null && use.settlement != null) {
          use.settlement.fail(bug);
        }
        getContext()
            .getLog()
            .error(
                "stand-in {} failed to settle {}",
                getContext().getSelf().path().name(),
                message,
                bug);
        return Behaviors.stopped();
      }
    }

    private static boolean mine(Use<?, ?> use, long id) {
      return use != null && use.standIn.use() == id;
    }

    private Behavior<Object> onDeadline(Use<?, ?> use) {
      int state = use.state.get();
      TimedOutException timedOut =
          new TimedOutException(
              "an answer from " + Callers.nameOf(use.target) + " to " + use.what, use.timeout);
      if (state == WAITING
          && use.withdrawable != null
          && use.startWithdrawing(
              timedOut, use.withdrawable.confirmation(), pool.callers.margin())) {
        // The answer may be on its way, and what it says cannot be given back: withdraw the call
        // and wait one margin for the verdict, so that the caller hears what really happened.
        use.withdrawable.send().accept(use.standIn);
        pool.scheduleDeadline(use, pool.callers.margin());
        return this;
      }
      if (state == WITHDRAWING) {
        long left = use.verdictBy - System.nanoTime();
        if (left > 0) {
          pool.scheduleDeadline(
              use,
              Duration.ofNanos(left)); // the caller's own withdrawal: its verdict may still come
          return this;
        }
      } else if (state != WAITING) {
        return this;
      }
      Throwable why = state == WITHDRAWING ? use.withdrawing.get().why() : null;
      use.settlement.fail(why != null ? why : timedOut);
      return Behaviors.stopped(); // the answer may still come: this stand-in serves no other call
    }

    private Behavior<Object> onTargetGone(ActorRef<?> target) {
      slot.watching.remove(
          target); // before reading the call: a call borrowed meanwhile watches it again
      Use<?, ?> use = slot.current.get();
      if (use == null || !use.target.equals(target)) {
        return this;
      }
      use.targetGone = true;
      int state = use.state.get();
      if (state == WAITING || state == WITHDRAWING) {
        use.settlement.fail(
            new ClosedException(
                Callers.nameOf(target) + " stopped before it answered " + use.what));
        return Behaviors.stopped();
      }
      // Whatever it held is gone with the target; a call being settled stops once settled.
      return state == HOLDING ? Behaviors.stopped() : this;
    }

    @SuppressWarnings("unchecked")
    private <Res, V> Behavior<Object> onReply(Use<Res, V> use, Object reply) {
      if (use == null) {
        getContext()
            .getLog()
            .debug(
                "{} ignores {}, which answers no call of it",
                getContext().getSelf().path().name(),
                reply);
        return this;
      }
      if (use.notices != null && use.state.get() == WAITING && use.notices.offer(reply)) {
        return this; // about the hold being released, not the answer
      }
      if (use.state.compareAndSet(WAITING, SETTLING)) {
        use.deadline.cancel();
        return settle(use, reply, true);
      }
      int state = use.state.get();
      if (state == WITHDRAWING) {
        use.deadline.cancel();
        Withdrawing withdrawing = use.withdrawing.get();
        if (withdrawing.confirmation().isInstance(reply)) {
          if (withdrawing.why() != null) {
            use.settlement.fail(withdrawing.why()); // withdrawn before it was carried out
          }
          return Behaviors.stopped();
        }
        use.state.set(SETTLING);
        return settle(
            use, reply, false); // carried out before the withdrawal arrived: the caller gets it
      }
      StandIn.Notices<?> notices = use.standIn.later();
      if (state != HOLDING || notices == null || !notices.offer(reply)) {
        getContext()
            .getLog()
            .debug(
                "{} ignores {}, which came after the answer to {}",
                getContext().getSelf().path().name(),
                reply,
                use.what);
      }
      return this;
    }

    /**
     * Reads the answer and hands it to the caller; {@code reusable} unless a withdrawal was sent
     * for this call.
     */
    @SuppressWarnings("unchecked")
    private <Res, V> Behavior<Object> settle(Use<Res, V> use, Object reply, boolean reusable) {
      Settlement<V> settlement = use.settlement;
      use.settlement = null;
      V value;
      try {
        value = use.read.read((Res) reply, use.standIn);
      } catch (RuntimeException refused) {
        // The one answer came, and it grants nothing: free before the caller hears it (see below).
        Behavior<Object> next = reusable ? done(use) : Behaviors.stopped();
        settlement.fail(refused);
        return next;
      }
      use.reusable = reusable;
      List<Runnable> actions = use.standIn.afterAcceptedActions();
      if (actions == null) {
        if (use.standIn.kept()) {
          use.state.set(
              HOLDING); // before the caller has the handle, so that its release finds it held
          return settlement.deliver(value) ? afterTaken(use) : Behaviors.stopped();
        }
        // Nothing is held and nothing follows: the stand-in is free before the caller has the
        // answer, so the caller's next call finds it idle instead of spawning another. Whether
        // the caller still takes the answer does not matter: it grants nothing to give back.
        use.state.set(SETTLING);
        Behavior<Object> next = reusable ? done(use) : Behaviors.stopped();
        settlement.deliver(value);
        return next;
      }
      // The actions (an acknowledgement) run where the caller takes the value, before it can send
      // anything that depends on them; this stand-in lives on, unchanged, until they are sent, so
      // that its end cannot overtake them and give back what the caller has.
      use.state.set(TAKING);
      long id = use.standIn.use();
      Runnable taken =
          () -> {
            actions.forEach(Runnable::run);
            slot.tell(new Taken(id));
          };
      // A caller that walked away first: the target takes back what it gave when this stops.
      return settlement.deliver(value, taken) ? this : Behaviors.stopped();
    }

    /**
     * The caller has the value and whatever had to follow it is sent: hold, serve the next call, or
     * stop.
     */
    private Behavior<Object> afterTaken(Use<?, ?> use) {
      if (use.standIn.kept()) {
        use.state.set(HOLDING);
        return use.targetGone ? Behaviors.stopped() : this;
      }
      use.state.set(SETTLING);
      return use.reusable ? done(use) : Behaviors.stopped();
    }

    /** The call ended with its one answer and holds nothing: serve the next. */
    private Behavior<Object> done(Use<?, ?> use) {
      if (use.targetGone || !slot.current.compareAndSet(use, null)) {
        return Behaviors.stopped();
      }
      return pool.recycle(slot)
          ? this
          : Behaviors.stopped(); // recycling is the last thing this call does here
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
      if (signal instanceof PostStop) {
        slot.stopped.set(true);
        Use<?, ?> use = slot.current.get();
        if (use != null) {
          if (use.deadline != null) {
            use.deadline.cancel();
          }
          Settlement<?> settlement = use.settlement;
          if (settlement != null) {
            settlement.fail(
                new ClosedException(
                    "the kit closed before "
                        + Callers.nameOf(use.target)
                        + " answered "
                        + use.what));
          }
        }
      }
      return this;
    }
  }
}
