package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.KitSettings;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The caller layer: how every actorkit client talks to a pattern actor from plain Java. One per
 * actor system (an Akka extension); clients get it with {@link #get}.
 *
 * <p>It owns, in one place, the rules every client shares:
 *
 * <ul>
 *   <li><b>One deadline policy.</b> A call's timeout is story time: how long the actor may keep the
 *       caller waiting (a lock's queue, an empty buffer). The actor enforces it with its own timer
 *       and answers {@code TimedOut}. The caller gives the actor {@link #answerBound} to answer at
 *       all: the timeout made real plus one {@linkplain #margin() margin} ({@code
 *       actorkit.caller.margin}), so the actor's own answer normally comes first. A call that takes
 *       no timeout uses {@link #defaultTimeout()} ({@code actorkit.ask-timeout}, read by {@link
 *       KitSettings} and taken from there by every client). A zero timeout means "do not wait": the
 *       actor answers at once, and the caller still gives it the margin to do so. A negative
 *       timeout, or one longer than {@link #LONGEST} in real time (beyond what Akka's timers
 *       reach), is refused with {@link RejectedException} before anything is sent.
 *   <li><b>A stand-in per caller.</b> A call that can be granted something (a permit, a lock), take
 *       something (an item, a value) or wait in a queue is made by a short-lived {@link StandIn}
 *       actor on the caller's behalf; the pattern actor watches it, as it watches any owner.
 *   <li><b>One rule for a caller that walks away</b> — an interrupted thread, a cancelled stage, a
 *       deadline that passes with the answer in flight, a kit that closes: the caller's stand-in
 *       stops, and the pattern actor, which watches it, gives back whatever it had granted to it or
 *       taken for it (an item taken and not yet acknowledged goes back to the head of its queue)
 *       and withdraws whatever it still waits for. Exactly one of the two happens: either the
 *       caller gets the answer, or the answer is given back. A blocking call whose answer arrived
 *       before the interrupt returns it and leaves the thread's interrupt flag set, as {@code
 *       java.util.concurrent} locks may.
 *   <li><b>User code never runs on a pattern actor's thread.</b> The future of a stage returned by
 *       a client's {@code ...Async} method completes on the kit's blocking dispatcher ({@code
 *       actorkit.dispatchers.blocking}), so a dependent stage added without an executor runs there,
 *       where blocking is allowed — or in the caller's own thread, if the answer had come before
 *       the caller attached anything. A stage nobody looks at costs no thread hand-off (see {@link
 *       Call#async()}). Blocking calls are woken directly.
 *   <li><b>A closed kit refuses at once.</b> Once the kit has closed (or its actor system has
 *       terminated), every call throws {@link ClosedException} before anything is sent; calls still
 *       waiting when it closes fail with {@code ClosedException}.
 * </ul>
 *
 * <p>Thread-safe. Clients build a {@link Call} with {@link #ask} (nothing is held for the caller: a
 * status, a set, a deposit) or {@link #through} (made by a stand-in), then run it with {@link
 * Call#await()} or {@link Call#async()}.
 */
public final class Callers implements Extension {

  /** The longest wait (real time) a call may ask for; Akka's timers reach about 248 days. */
  public static final Duration LONGEST = Duration.ofDays(200);

  private final ActorSystem<?> system;
  private final KitClock clock;
  private final Duration defaultTimeout;
  private final Duration margin;
  private final Executor offActors;
  private final DispatcherSelector standInDispatcher;
  private final StandIns standIns;
  private final Tracer tracer;
  private volatile boolean closed;

  private Callers(ActorSystem<?> system) {
    this.system = system;
    this.clock = KitClock.get(system);
    KitSettings settings = KitSettings.fromConfig(system.settings().config());
    this.defaultTimeout = settings.askTimeout();
    this.margin = settings.callerMargin();
    this.offActors = KitDispatcher.BLOCKING.executor(system);
    this.standInDispatcher = KitDispatcher.COORDINATION.selector();
    this.tracer = Tracer.get(system);
    this.standIns = new StandIns(this);
  }

  /** The tracer that calls name their calling thread to. */
  Tracer tracer() {
    return tracer;
  }

  /** The caller layer of {@code system}. */
  public static Callers get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(Objects.requireNonNull(system, "system"));
  }

  /** The actor system the calls go through. */
  public ActorSystem<?> system() {
    return system;
  }

  /** The kit clock that story timeouts are read on. */
  public KitClock clock() {
    return clock;
  }

  /** {@code actorkit.ask-timeout}: the timeout (story time) of calls that take none. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * {@code actorkit.caller.margin}: real time given to an actor beyond a call's timeout to answer
   * it.
   */
  public Duration margin() {
    return margin;
  }

  /**
   * The real time an actor has to answer a call that lets it wait {@code storyTimeout}: the timeout
   * made real, plus the margin.
   */
  public Duration answerBound(Duration storyTimeout) {
    return clock.toReal(storyTimeout).plus(margin);
  }

  /**
   * Checks a caller's timeout (story time) and returns it.
   *
   * @throws NullPointerException if it is null
   * @throws RejectedException if it is negative or longer than {@link #LONGEST} in real time
   */
  public Duration checkTimeout(Duration storyTimeout, String what) {
    Objects.requireNonNull(storyTimeout, "timeout");
    if (storyTimeout.isNegative()) {
      throw new RejectedException(
          what, "the timeout must be zero or positive, was " + storyTimeout);
    }
    // in seconds and as a double, so that an absurd timeout cannot overflow on the way
    if (storyTimeout.getSeconds() / clock.speed() > LONGEST.getSeconds()) {
      throw new RejectedException(
          what,
          "the timeout must be at most "
              + LONGEST.toDays()
              + " days of real time, was "
              + storyTimeout);
    }
    return storyTimeout;
  }

  /**
   * Whether the kit has closed (or the actor system terminated): calls are refused from then on.
   */
  public boolean isClosed() {
    return closed || system.whenTerminated().isCompleted();
  }

  /** Marks the kit closed; called by the kit once its primitives have stopped. */
  public void markClosed() {
    closed = true;
  }

  /** Throws {@link ClosedException} if the kit has closed; {@code what} names the call. */
  public void checkOpen(String what) {
    if (isClosed()) {
      throw new ClosedException(
          "the kit " + system.name() + " is closed; cannot go on with " + what);
    }
  }

  /**
   * A call that the target answers without holding anything for the caller (a status, a set, a
   * deposit): an ask, with the answer read by {@code read} (which throws the exception a refusal
   * becomes, see {@link #refusal}).
   *
   * @param timeout how long the target may wait before it answers (story time; zero for calls
   *     answered at once)
   * @param what the call in words, for exceptions ("setting the event /user/dinner")
   */
  public <Req, Res, V> Call<V> ask(
      ActorRef<Req> target,
      Duration timeout,
      String what,
      Function<ActorRef<Res>, Req> message,
      Reading<Res, V> read) {
    Objects.requireNonNull(target, "target");
    return new Call<>(this, timeout, what, Call.asking(target, message, read));
  }

  /**
   * A call made by a fresh {@link StandIn}: {@code request} builds the message from the stand-in's
   * reference, which is both the owner the target watches and where it replies. {@code read} turns
   * the first reply into the caller's value; if the reply leaves something held for the stand-in (a
   * grant, a delivery to acknowledge later), it calls {@link StandIn#keep()} and returns a {@link
   * Handle} that releases it.
   */
  public <Req, Res, V> Call<V> through(
      ActorRef<Req> target,
      Duration timeout,
      String what,
      Function<ActorRef<Res>, Req> request,
      Holding<Res, V> read) {
    Objects.requireNonNull(target, "target");
    return new Call<>(this, timeout, what, Call.standingIn(target, request, read, null));
  }

  /**
   * {@link #through(ActorRef, Duration, String, Function, Holding)} for a call whose effect cannot
   * be given back once the target has carried it out (a put into a buffer): a caller that walks
   * away sends the target {@code withdrawal}'s request first, from its own thread. An interrupted
   * blocking caller then waits (up to the margin, not interruptibly) for the target's verdict, so
   * that it returns normally if the call was carried out first and throws if it was withdrawn; a
   * cancelled stage cannot wait, and a call carried out just before the withdrawal arrived stays
   * carried out.
   */
  public <Req, Res, V> Call<V> through(
      ActorRef<Req> target,
      Duration timeout,
      String what,
      Function<ActorRef<Res>, Req> request,
      Holding<Res, V> read,
      Withdrawal<Req, Res> withdrawal) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(withdrawal, "withdrawal");
    return new Call<>(this, timeout, what, Call.standingIn(target, request, read, withdrawal));
  }

  /**
   * How a target withdraws a waiting call: {@code withdraw} builds the request from the stand-in
   * (the owner) and a reply address; {@code withdrawn} is the type of the target's answer to it,
   * which it sends after any answer to the call itself.
   */
  public record Withdrawal<Req, Res>(
      BiFunction<ActorRef<?>, ActorRef<Res>, Req> withdraw, Class<?> withdrawn) {
    public Withdrawal {
      Objects.requireNonNull(withdraw, "withdraw");
      Objects.requireNonNull(withdrawn, "withdrawn");
    }
  }

  /**
   * The release of what {@code holder} holds, with the default timeout, answered with nothing
   * ({@code read} turns a refusal into an exception). A {@link StandIn} makes it itself, as a new
   * call: the target answers it after anything it said about the hold, and the stand-in, once
   * answered, serves the next call instead of stopping — an acquire and release then cost two round
   * trips and no actor. Any other holder (a {@link Principal}) is released by an ask.
   */
  public <Req, Res> Call<Void> release(
      Handle.Holder holder,
      ActorRef<Req> target,
      String what,
      Function<ActorRef<Res>, Req> request,
      Reading<Res, Void> read) {
    Objects.requireNonNull(target, "target");
    if (holder instanceof StandIn standIn) {
      return new Call<>(
          this,
          defaultTimeout,
          what,
          Call.byHolder(standIn, target, request, (reply, self) -> read.read(reply), true));
    }
    return ask(target, defaultTimeout, what, request, read);
  }

  /**
   * A further call made by the stand-in {@code held}, which holds something, as its holder: a wait
   * on a condition of a held lock. The target answers it after anything it said about the hold; if
   * {@code read} keeps the stand-in, it holds on (the caller's handle now refers to the {@link
   * StandIn} that {@code read} is given), and otherwise it is free again. A caller that walks away
   * stops it, and the target gives back what it held. Fails with {@link ClosedException} if {@code
   * held} no longer holds anything.
   */
  public <Req, Res, V> Call<V> byHolder(
      StandIn held,
      ActorRef<Req> target,
      Duration timeout,
      String what,
      Function<ActorRef<Res>, Req> request,
      Holding<Res, V> read) {
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(target, "target");
    return new Call<>(this, timeout, what, Call.byHolder(held, target, request, read, false));
  }

  /**
   * A call that only tells, and has no answer to wait for: {@code send} runs when the call is
   * started (after the checks every call makes), and the call completes at once.
   */
  public Call<Void> telling(String what, Runnable send) {
    Objects.requireNonNull(send, "send");
    return new Call<>(
        this,
        Duration.ZERO,
        what,
        (callers, timeout, text, settlement) -> {
          send.run();
          settlement.deliver(null);
        });
  }

  /**
   * The exception a client throws for a reply it cannot use: {@link RejectedException} for a {@link
   * RejectedReply}, {@link TimedOutException} for a {@link TimedOutReply}, otherwise an {@link
   * IllegalStateException} naming the reply.
   */
  public static RuntimeException refusal(Object reply, ActorRef<?> target) {
    String name = nameOf(target);
    if (reply instanceof RejectedReply rejected) {
      return new RejectedException(name, rejected.reason());
    }
    if (reply instanceof TimedOutReply timedOut) {
      return new TimedOutException("an answer from " + name, timedOut.waited());
    }
    return new IllegalStateException(name + " answered " + reply);
  }

  /** {@code reply} as a {@code type}, or the {@link #refusal} it is. */
  public static <S> S expected(Class<S> type, Object reply, ActorRef<?> target) {
    if (type.isInstance(reply)) {
      return type.cast(reply);
    }
    throw refusal(reply, target);
  }

  /**
   * A reading that accepts only replies of type {@code expected}; anything else is a {@link
   * #refusal}.
   */
  public static <Res, S extends Res> Reading<Res, S> expect(Class<S> expected, ActorRef<?> target) {
    return reply -> {
      if (expected.isInstance(reply)) {
        return expected.cast(reply);
      }
      throw refusal(reply, target);
    };
  }

  /**
   * A reading for a call whose answer only confirms it: null for a reply of type {@code expected},
   * anything else a {@link #refusal}.
   */
  public static <Res> Reading<Res, Void> confirmedBy(
      Class<? extends Res> expected, ActorRef<?> target) {
    return reply -> {
      if (expected.isInstance(reply)) {
        return null;
      }
      throw refusal(reply, target);
    };
  }

  /** The path of an actor inside its system, as exceptions name it. */
  public static String nameOf(ActorRef<?> target) {
    return target.path().toStringWithoutAddress();
  }

  /**
   * Runs {@code completion} off the actors' threads, on the blocking dispatcher: for an actor that
   * completes a future a user holds, so that the user's dependent stages never run on the actor's
   * thread. Once the kit has closed there is no such thread left, and it runs here.
   */
  public void offActors(Runnable completion) {
    if (!isClosed()) {
      try {
        offActors.execute(completion);
        return;
      } catch (RejectedExecutionException closing) {
        // the dispatcher is shutting down with the kit: nothing else would run it
      }
    }
    completion.run();
  }

  StandIns standIns() {
    return standIns;
  }

  DispatcherSelector standInDispatcher() {
    return standInDispatcher;
  }

  /** Reads the reply of a call that holds nothing; throws what a refusal becomes. */
  @FunctionalInterface
  public interface Reading<Res, V> {
    V read(Res reply);
  }

  /**
   * Reads the first reply to a stand-in's request; may {@link StandIn#keep() keep} the stand-in as
   * the holder.
   */
  @FunctionalInterface
  public interface Holding<Res, V> {
    V read(Res reply, StandIn standIn);
  }

  /** Registers the caller layer as an Akka extension: one per actor system. */
  public static final class Id extends ExtensionId<Callers> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public Callers createExtension(ActorSystem<?> system) {
      return new Callers(system);
    }
  }
}
