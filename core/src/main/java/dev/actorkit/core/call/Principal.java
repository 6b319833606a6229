package dev.actorkit.core.call;

import akka.actor.InvalidActorNameException;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A long-lived stand-in for one line of control, like one Python thread: a plain-Java owner that
 * may hold several things at once (two locks, which is how two owners deadlock) and re-enter what
 * it holds. Pattern actors watch it; {@link #close()} stops it, and they give back everything it
 * holds and drop its waits.
 *
 * <p><b>One call at a time.</b> Its calls are sent in the order they are made, each once the
 * previous one has ended, so an owner that waits for one lock sends nothing else until that wait
 * ends — as a thread would. Every call has the deadline of {@link Callers}: a call whose answer
 * does not come in time fails with {@code TimedOutException}, and the next one goes ahead, so one
 * unanswered request never wedges the owner.
 *
 * <p><b>Walking away.</b> The principal cannot stop when one of its callers walks away (it holds
 * other things), so each call names a {@link Withdrawal}: the principal sends the pattern's
 * withdraw request and waits (up to the margin) for its answer; whatever the abandoned request was
 * granted in the meantime is given back with the withdrawal's give-back message.
 *
 * <p><b>Replies are never confused.</b> The principal is the owner in every request, but each call
 * has its own reply address (a small child actor that tags what it receives with the call), so an
 * answer that comes late — after its call timed out and the principal went on — is known for what
 * it is: given back if it grants something, dropped otherwise. The reply address of a call that
 * granted something lives on while it is held, for the pattern's later notices; it is let go when a
 * call that gives something back (one without a withdrawal: a release) to the same target is
 * answered, oldest hold first.
 *
 * <p><b>Notices</b> that are not answers (a lock's {@code Revoked}) go to the handler given at
 * creation, in the principal's thread. Thread-safe.
 */
public final class Principal implements AutoCloseable {

  /**
   * How to take back a call its caller walked away from: {@code withdraw} builds the request that
   * withdraws the principal's wait (given its reply address), {@code withdrawn} is the type of the
   * pattern's answer to it, and {@code giveBack} the request that gives back what a late answer
   * granted (null when the answer granted nothing).
   */
  public record Withdrawal<Req, Res>(
      Function<ActorRef<Res>, Req> withdraw,
      Class<? extends Res> withdrawn,
      Function<Res, Req> giveBack) {
    public Withdrawal {
      Objects.requireNonNull(withdraw, "withdraw");
      Objects.requireNonNull(withdrawn, "withdrawn");
      Objects.requireNonNull(giveBack, "giveBack");
    }
  }

  private final Callers callers;
  private final String name;
  private final ActorRef<Object> ref;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Principal(
      Callers callers, String name, Predicate<Object> isNotice, Consumer<Object> onNotice) {
    this.callers = callers;
    this.name = name;
    AtomicBoolean stopped = closed;
    callers.checkOpen("creating the owner " + name);
    try {
      this.ref =
          callers
              .system()
              .systemActorOf(
                  Behaviors.setup(
                      context ->
                          Behaviors.withTimers(
                              timers ->
                                  new Actor(
                                      context, timers, callers, name, isNotice, onNotice,
                                      stopped))),
                  name,
                  callers.standInDispatcher());
    } catch (InvalidActorNameException e) {
      throw new RejectedException("the owner " + name, e.getMessage());
    } catch (IllegalStateException terminating) {
      throw new ClosedException(
          "the kit " + callers.system().name() + " is closed; cannot create the owner " + name,
          terminating);
    }
  }

  /**
   * A principal named {@code name}, which is the name pattern actors and the deadlock detector show
   * for it.
   *
   * @param isNotice which messages are notices rather than answers
   * @param onNotice what to do with a notice, in the principal's thread (keep it short)
   * @throws RejectedException if the name is blank, is not a valid actor name (a {@code /}, say),
   *     or is used by another live principal of this system
   * @throws ClosedException if the kit is closed
   */
  public static Principal create(
      ActorSystem<?> system, String name, Predicate<Object> isNotice, Consumer<Object> onNotice) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new RejectedException("an owner", "the name must not be blank");
    }
    return new Principal(
        Callers.get(system),
        name,
        Objects.requireNonNull(isNotice, "isNotice"),
        Objects.requireNonNull(onNotice, "onNotice"));
  }

  /** The name it was created with. */
  public String name() {
    return name;
  }

  /** The actor that stands for this owner in every request. */
  public ActorRef<?> ref() {
    return ref;
  }

  /**
   * A call made as this principal: {@code request} builds the message from the call's reply address
   * (name {@link #ref()} as the owner in it), {@code read} turns the answer into the value. {@code
   * withdrawal} takes the call back if its caller walks away; null for a call that waits for
   * nothing and grants nothing (a release), whose late answer is simply dropped.
   */
  public <Req, Res, V> Call<V> call(
      ActorRef<Req> target,
      Duration timeout,
      String what,
      Function<ActorRef<Res>, Req> request,
      Callers.Reading<Res, V> read,
      Withdrawal<Req, Res> withdrawal) {
    Objects.requireNonNull(target, "target");
    return new Call<>(
        callers,
        timeout,
        what,
        (layer, checkedTimeout, text, settlement) -> {
          Exchange<Req, Res, V> exchange =
              new Exchange<>(target, checkedTimeout, text, request, read, withdrawal, settlement);
          settlement.onWalkAway(() -> Quietly.tell(ref, new WalkAway(exchange)));
          Quietly.tell(ref, exchange);
        });
  }

  /**
   * Stops the principal: what it holds is given back by death watch, and calls not yet answered
   * fail with {@link ClosedException}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Quietly.tell(ref, Stop.INSTANCE);
    }
  }

  /** Whether it was closed, or stopped with its kit: then nothing it held is held any more. */
  public boolean isClosed() {
    return closed.get() || callers.isClosed();
  }

  @Override
  public String toString() {
    return "Principal[" + name + "]";
  }

  /** One call of the principal; its box and its fate belong to the principal's actor. */
  private static final class Exchange<Req, Res, V> {
    final ActorRef<Req> target;
    final Duration timeout;
    final String what;
    final Function<ActorRef<Res>, Req> request;
    final Callers.Reading<Res, V> read;
    final Withdrawal<Req, Res> withdrawal;
    final Settlement<V> settlement;

    /** Where the target replies to this call; made when the call is sent. */
    ActorRef<Object> box;

    Exchange(
        ActorRef<Req> target,
        Duration timeout,
        String what,
        Function<ActorRef<Res>, Req> request,
        Callers.Reading<Res, V> read,
        Withdrawal<Req, Res> withdrawal,
        Settlement<V> settlement) {
      this.target = target;
      this.timeout = timeout;
      this.what = what;
      this.request = request;
      this.read = read;
      this.withdrawal = withdrawal;
      this.settlement = settlement;
    }

    /** Whether {@code reply} grants something that must be given back if nobody takes it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object giveBack(Object reply) {
      return withdrawal == null ? null : ((Function) withdrawal.giveBack()).apply(reply);
    }

    boolean isWithdrawn(Object reply) {
      return withdrawal != null && withdrawal.withdrawn().isInstance(reply);
    }
  }

  private record WalkAway(Exchange<?, ?, ?> exchange) {}

  private record Deadline(Exchange<?, ?, ?> exchange) {}

  private record TargetGone(Exchange<?, ?, ?> exchange) {}

  /** What a call's box received, tagged with the call. */
  private record Tagged(Exchange<?, ?, ?> exchange, Object message) {}

  private enum Stop {
    INSTANCE
  }

  /**
   * The principal's behaviour: a queue of calls, the head in flight or being withdrawn; the boxes
   * of calls it went on from, and of calls whose grant is held.
   */
  private static final class Actor extends AbstractOnMessageBehavior<Object> {

    private enum Phase {
      IDLE,
      IN_FLIGHT,
      WITHDRAWING
    }

    private final TimerScheduler<Object> timers;
    private final Callers callers;
    private final String name;
    private final Predicate<Object> isNotice;
    private final Consumer<Object> onNotice;
    private final ArrayDeque<Exchange<?, ?, ?>> queue = new ArrayDeque<>();

    /**
     * Calls that granted something still held, per target, oldest first: their boxes take the
     * target's notices.
     */
    private final Map<ActorRef<?>, ArrayDeque<Exchange<?, ?, ?>>> holds = new HashMap<>();

    private final AtomicBoolean stopped;
    private Exchange<?, ?, ?> head;
    private Phase phase = Phase.IDLE;

    Actor(
        ActorContext<Object> context,
        TimerScheduler<Object> timers,
        Callers callers,
        String name,
        Predicate<Object> isNotice,
        Consumer<Object> onNotice,
        AtomicBoolean stopped) {
      super(context);
      this.stopped = stopped;
      this.timers = timers;
      this.callers = callers;
      this.name = name;
      this.isNotice = isNotice;
      this.onNotice = onNotice;
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      if (message instanceof Tagged tagged) {
        return onTagged(tagged.exchange(), tagged.message());
      } else if (message instanceof Exchange<?, ?, ?> exchange) {
        queue.addLast(exchange);
        return next();
      } else if (message instanceof WalkAway walkAway) {
        return onWalkAway(walkAway.exchange());
      } else if (message instanceof Deadline deadline) {
        return onDeadline(deadline.exchange());
      } else if (message instanceof TargetGone gone) {
        return onTargetGone(gone.exchange());
      } else if (message == Stop.INSTANCE) {
        return Behaviors.stopped();
      }
      getContext().getLog().debug("owner {} ignores {}", name, message);
      return this;
    }

    /**
     * Sends the next call once nothing is in flight; calls walked away from before they were sent
     * are skipped.
     */
    private Behavior<Object> next() {
      while (phase == Phase.IDLE && !queue.isEmpty()) {
        Exchange<?, ?, ?> exchange = queue.pollFirst();
        if (!exchange.settlement.isDone()) {
          send(exchange);
        }
      }
      return this;
    }

    private <Req, Res, V> void send(Exchange<Req, Res, V> exchange) {
      head = exchange;
      phase = Phase.IN_FLIGHT;
      ActorRef<Object> self = getContext().getSelf();
      exchange.box =
          getContext()
              .spawnAnonymous(
                  Behaviors.receive(Object.class)
                      .onAnyMessage(
                          message -> {
                            self.tell(new Tagged(exchange, message));
                            return Behaviors.same();
                          })
                      .build());
      getContext().watchWith(exchange.target, new TargetGone(exchange));
      timers.startSingleTimer(
          Deadline.class, new Deadline(exchange), callers.answerBound(exchange.timeout));
      ActorRef<Res> replyTo = exchange.box.unsafeUpcast();
      exchange.target.tell(exchange.request.apply(replyTo));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Behavior<Object> onTagged(Exchange exchange, Object reply) {
      if (isNotice.test(reply)) {
        onNotice.accept(reply);
        return this;
      }
      if (exchange != head) {
        // A call the principal went on from: a grant goes back; a withdrawal's answer ends it.
        if (!exchange.isWithdrawn(reply)) {
          giveBack(exchange, reply);
        }
        if (exchange.isWithdrawn(reply) || exchange.withdrawal == null) {
          getContext().stop(exchange.box);
        }
        return this;
      }
      if (phase == Phase.WITHDRAWING) {
        if (exchange.isWithdrawn(reply) || exchange.withdrawal == null) {
          getContext()
              .stop(
                  exchange.box); // withdrawn; or, for a call with nothing to withdraw, its own late
          // answer
          return done();
        }
        giveBack(exchange, reply); // the abandoned call's own answer, which the withdrawal follows
        return this;
      }
      timers.cancel(Deadline.class);
      Object value;
      try {
        value = exchange.read.read(reply);
      } catch (RuntimeException refused) {
        exchange.settlement.fail(refused);
        getContext().stop(exchange.box);
        return done();
      }
      if (!exchange.settlement.deliver(value)) {
        giveBack(exchange, reply); // the caller walked away while the answer was on its way to it
        getContext().stop(exchange.box);
      } else if (exchange.giveBack(reply) != null) {
        holds
            .computeIfAbsent(exchange.target, target -> new ArrayDeque<>())
            .addLast(exchange); // its box takes later notices
      } else {
        getContext().stop(exchange.box);
        if (exchange.withdrawal == null) {
          letGoOldestHold(exchange.target); // a release was answered
        }
      }
      return done();
    }

    private void giveBack(Exchange<?, ?, ?> exchange, Object reply) {
      Object back = exchange.giveBack(reply);
      if (back != null) {
        tellUnchecked(exchange.target, back);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void tellUnchecked(ActorRef target, Object message) {
      target.tell(message);
    }

    private void letGoOldestHold(ActorRef<?> target) {
      ArrayDeque<Exchange<?, ?, ?>> held = holds.get(target);
      if (held != null) {
        Exchange<?, ?, ?> oldest = held.pollFirst();
        if (oldest != null) {
          getContext().stop(oldest.box);
        }
        if (held.isEmpty()) {
          holds.remove(target);
        }
      }
    }

    private Behavior<Object> onWalkAway(Exchange<?, ?, ?> exchange) {
      if (exchange != head) {
        queue.remove(exchange); // not sent yet: never will be
        return this;
      }
      if (phase == Phase.IN_FLIGHT) {
        withdraw(exchange);
      }
      return this;
    }

    private Behavior<Object> onDeadline(Exchange<?, ?, ?> exchange) {
      if (exchange != head) {
        return this;
      }
      if (phase == Phase.IN_FLIGHT) {
        exchange.settlement.fail(
            new TimedOutException(
                "an answer from " + Callers.nameOf(exchange.target) + " to " + exchange.what,
                exchange.timeout));
        withdraw(exchange);
        return this;
      }
      if (phase == Phase.WITHDRAWING) {
        // The call's box stays: whatever still comes for it is known for what it is.
        getContext()
            .getLog()
            .debug(
                "owner {}: {} did not answer the withdrawal of {} in time; going on",
                name,
                exchange.target,
                exchange.what);
        return done();
      }
      return this;
    }

    private Behavior<Object> onTargetGone(Exchange<?, ?, ?> exchange) {
      if (exchange != head) {
        return this;
      }
      if (phase == Phase.IN_FLIGHT) {
        exchange.settlement.fail(
            new ClosedException(
                Callers.nameOf(exchange.target) + " stopped before it answered " + exchange.what));
      }
      getContext().stop(exchange.box);
      return done();
    }

    /**
     * Takes back the head call: the pattern withdraws the wait, and a grant that overtook it is
     * given back.
     */
    private <Req, Res> void withdraw(Exchange<Req, Res, ?> exchange) {
      phase = Phase.WITHDRAWING;
      if (exchange.withdrawal == null) {
        // Nothing to withdraw: its answer, when it comes, is dropped by its box's exchange.
        timers.startSingleTimer(
            Deadline.class, new Deadline(exchange), callers.answerBound(exchange.timeout));
        return;
      }
      timers.startSingleTimer(Deadline.class, new Deadline(exchange), callers.margin());
      ActorRef<Res> replyTo = exchange.box.unsafeUpcast();
      exchange.target.tell(exchange.withdrawal.withdraw().apply(replyTo));
    }

    private Behavior<Object> done() {
      if (head != null) {
        timers.cancel(Deadline.class);
        getContext().unwatch(head.target);
        head = null;
      }
      phase = Phase.IDLE;
      return next();
    }

    @Override
    public Behavior<Object> onSignal(Signal signal) {
      if (signal instanceof PostStop) {
        stopped.set(true);
        ClosedException closed =
            new ClosedException("the owner " + name + " was closed before the call was answered");
        if (head != null && phase == Phase.IN_FLIGHT) {
          head.settlement.fail(closed);
        }
        queue.forEach(exchange -> exchange.settlement.fail(closed));
        queue.clear();
      }
      return this;
    }
  }
}
