package dev.actorkit.patterns.event;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The actor side of the waits an {@link Event}, a {@link Latch} or a {@link Barrier} keeps in its
 * state's {@link WaitList}: the timer and the watch behind every wait, and the replies every such
 * actor gives the same way.
 *
 * <p>Each wait has its own timer, started with {@code context.scheduleOnce} (story time on the kit
 * clock), which sends the actor {@code expired(id)}; each waiter is watched with {@code
 * watchWith(waiter, terminated(waiter))}. The state decides who is answered and in what order; this
 * class only answers, in the order it is given, and tidies up after. It belongs to one actor and
 * runs only inside it.
 *
 * @param <C> the actor's command type
 * @param <R> the actor's reply type
 */
final class ParkedWaits<C, R> {

  /** How a state queues a wait: its {@code await(who, timeout, attach)}. */
  @FunctionalInterface
  interface Queue<R> {
    WaitList.Entry<ActorRef<R>, Cancellable> await(
        ActorRef<R> who, Duration timeout, LongFunction<Cancellable> attach);
  }

  private final ActorContext<C> context;
  private final KitClock clock;
  private final Tracer tracer;
  private final LongFunction<C> expired;
  private final Function<ActorRef<R>, C> terminated;
  private final Function<String, R> rejected;
  private final Function<Duration, R> timedOut;

  /**
   * @param expired the actor's private message that the wait with this id ran out
   * @param terminated the actor's private message that this waiter stopped
   * @param rejected the actor's {@code Rejected(reason)}
   * @param timedOut the actor's {@code TimedOut(waited)}
   */
  ParkedWaits(
      ActorContext<C> context,
      LongFunction<C> expired,
      Function<ActorRef<R>, C> terminated,
      Function<String, R> rejected,
      Function<Duration, R> timedOut) {
    this.context = context;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.expired = expired;
    this.terminated = terminated;
    this.rejected = rejected;
    this.timedOut = timedOut;
  }

  /**
   * If {@code timeout} is missing or negative, answers {@code Rejected} and returns {@code true};
   * nothing else happens.
   */
  boolean refuses(ActorRef<R> waiter, Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      waiter.tell(rejected.apply("the timeout must be zero or positive, was " + timeout));
      return true;
    }
    return false;
  }

  /**
   * Parks a wait that cannot be answered yet. A timeout of zero is a poll that failed: it is
   * answered {@code TimedOut} at once, nothing is queued, and this returns {@code false}. Otherwise
   * {@code queue} queues the wait behind every other with its timer attached, the waiter is
   * watched, and this returns {@code true}.
   *
   * @param timeout zero or positive, story time (see {@link #refuses})
   */
  boolean park(ActorRef<R> waiter, Duration timeout, Queue<R> queue) {
    if (timeout.isZero()) {
      waiter.tell(timedOut.apply(timeout));
      return false;
    }
    Duration real = clock.toReal(timeout);
    queue.await(
        waiter, timeout, id -> context.scheduleOnce(real, context.getSelf(), expired.apply(id)));
    context.watchWith(waiter, terminated.apply(waiter));
    return true;
  }

  /** Tells every one of these waits the same {@code reply}, in the order given. */
  void tellEach(List<WaitList.Entry<ActorRef<R>, Cancellable>> waits, R reply) {
    for (WaitList.Entry<ActorRef<R>, Cancellable> entry : waits) {
      entry.who().tell(reply);
    }
  }

  /**
   * Forgets waits already answered and taken off the list: cancels their timers and stops watching
   * their waiters. Call it after the answers, so that the waiters start running while this tidies
   * up.
   */
  void forget(List<WaitList.Entry<ActorRef<R>, Cancellable>> waits) {
    for (WaitList.Entry<ActorRef<R>, Cancellable> entry : waits) {
      entry.attachment().cancel();
      context.unwatch(entry.who());
    }
  }

  /** {@link #forget} waits that were woken, and traces each as {@code woke}. */
  void forgetWoken(List<WaitList.Entry<ActorRef<R>, Cancellable>> waits) {
    forget(waits);
    if (tracer.enabled()) {
      for (WaitList.Entry<ActorRef<R>, Cancellable> entry : waits) {
        tracer.emit(context.getSelf(), TraceKind.WOKE, entry.who(), "");
      }
    }
  }

  /**
   * A wait's timer fired and the state took it off the list ({@code null}: it had been answered
   * already, and nothing happens). Its waiter hears {@code TimedOut}, and is no longer watched
   * unless it still waits otherwise.
   */
  void timedOut(
      WaitList.Entry<ActorRef<R>, Cancellable> entry, Predicate<ActorRef<R>> stillWaiting) {
    if (entry == null) {
      return;
    }
    tracer.emit(context.getSelf(), TraceKind.TIMED_OUT, entry.who(), entry.timeout());
    entry.who().tell(timedOut.apply(entry.timeout()));
    if (!stillWaiting.test(entry.who())) {
      context.unwatch(entry.who());
    }
  }

  /**
   * A waiter stopped and the state took its waits off the list: cancels their timers. Nobody is
   * told.
   */
  void dropped(List<WaitList.Entry<ActorRef<R>, Cancellable>> waits) {
    for (WaitList.Entry<ActorRef<R>, Cancellable> entry : waits) {
      entry.attachment().cancel();
      tracer.emit(context.getSelf(), TraceKind.DROPPED, entry.who(), "it stopped while waiting");
    }
  }
}
