package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One call of a client, built by {@link Callers#ask} or {@link Callers#through}, not yet sent:
 * {@link #await()} sends it and blocks, {@link #async()} sends it and returns a stage. A call is
 * run once.
 *
 * <p>Both follow the rules of {@link Callers}: the timeout is checked and the kit must be open
 * before anything is sent; the answer has {@link Callers#answerBound} to come; a caller that walks
 * away (interrupted, cancelled stage, deadline passed) leaves nothing behind; the stage of {@code
 * async()} completes off the actors' threads.
 */
public final class Call<V> {

  private final Callers callers;
  private final Duration timeout;
  private final String what;
  private final Start<V> start;
  private final AtomicBoolean started = new AtomicBoolean();

  Call(Callers callers, Duration timeout, String what, Start<V> start) {
    this.callers = callers;
    this.timeout = timeout;
    this.what = what;
    this.start = start;
  }

  /**
   * How a call is sent: given where its outcome goes, send it (and say how to walk away from it).
   */
  @FunctionalInterface
  interface Start<V> {
    void send(Callers callers, Duration timeout, String what, Settlement<V> settlement);
  }

  /**
   * Sends the call and blocks until its answer, at most {@link Callers#answerBound} plus a margin
   * (a backstop: the deadline of the call itself normally ends the wait first).
   *
   * <p>The thread spins briefly before it parks; see {@link Spin}.
   *
   * @throws InterruptedWaitException if the thread is interrupted first (also on entry, before
   *     anything is sent); the interrupt flag is set again, and whatever the call is granted later
   *     is given back
   * @throws TimedOutException if the wait ran out; nothing is left queued or held
   * @throws ClosedException if the kit is closed, or closes during the wait
   * @throws dev.actorkit.core.errors.RejectedException for a bad timeout or a refusal
   */
  public V await() {
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException(
          what, new InterruptedException("interrupted before the call was sent"));
    }
    runOnce();
    Pending<V> pending = new Pending<>();
    begin(pending);
    Duration backstop = callers.answerBound(timeout).plus(callers.margin());
    try {
      if (!pending.isDone()) {
        Spin.beforePark(pending, backstop);
      }
      return pending.get(backstop.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      try {
        return departed(
            pending,
            new InterruptedWaitException(
                what, e)); // with the flag clear: it leaves by telling actors
      } finally {
        Thread.currentThread().interrupt();
      }
    } catch (TimeoutException e) {
      return departed(pending, new TimedOutException(what, timeout, e));
    } catch (ExecutionException e) {
      throw rethrowable(e.getCause());
    }
  }

  /**
   * The waiting thread leaves with {@code why}. A call that can be withdrawn is asked to be, and
   * the thread waits (up to the margin) to learn whether it was: so a put that the target admitted
   * before it heard of the withdrawal returns normally, and one that was withdrawn throws {@code
   * why} — the caller's answer agrees with what happened. Any other call is walked away from at
   * once, and what its answer grants is given back.
   */
  private V departed(Pending<V> pending, RuntimeException why) {
    if (Quietly.run(() -> pending.withdraw(why))) {
      try {
        return Quietly.run(() -> verdict(pending));
      } catch (NoVerdict notSaid) {
        // the target did not say: walk away as any call does
      }
    }
    if (Quietly.run(() -> pending.walkAway(why))) {
      throw why;
    }
    return outcome(pending);
  }

  /**
   * Sends the call and returns its stage, whose future completes off the actors' threads (see
   * {@link CallStage}). Cancelling or completing the stage's future before the answer is walking
   * away from the call. A bad timeout or a closed kit fails the stage at once.
   */
  public CompletionStage<V> async() {
    runOnce();
    CallStage<V> stage = new CallStage<>(callers);
    try {
      begin(stage);
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    return stage;
  }

  /**
   * This call with its value turned by {@code f}, inside the call: the stage of {@link #async()} is
   * still the call's own, so cancelling it still walks away from the call (a {@code thenApply} on
   * the stage would not reach it). If {@code f} throws, the call fails with what it threw and
   * whatever the answer granted is given back.
   */
  public <U> Call<U> map(Function<? super V, ? extends U> f) {
    return new Call<>(
        callers,
        timeout,
        what,
        (layer, checked, text, settlement) ->
            start.send(layer, checked, text, new Mapped<>(settlement, f)));
  }

  /** A settlement that turns the value before it hands it on. */
  private record Mapped<V, U>(Settlement<U> target, Function<? super V, ? extends U> f)
      implements Settlement<V> {
    @Override
    public boolean deliver(V value) {
      U mapped;
      try {
        mapped = f.apply(value);
      } catch (RuntimeException refused) {
        target.fail(refused);
        return false;
      }
      return target.deliver(mapped);
    }

    @Override
    public boolean deliver(V value, Runnable taken) {
      U mapped;
      try {
        mapped = f.apply(value);
      } catch (RuntimeException refused) {
        target.fail(refused);
        return false;
      }
      return target.deliver(mapped, taken);
    }

    @Override
    public boolean fail(Throwable failure) {
      return target.fail(failure);
    }

    @Override
    public void onWalkAway(Runnable action) {
      target.onWalkAway(action);
    }

    @Override
    public void onWithdraw(Consumer<Throwable> withdraw) {
      target.onWithdraw(withdraw);
    }

    @Override
    public boolean isDone() {
      return target.isDone();
    }
  }

  private void runOnce() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a call runs once: " + what);
    }
  }

  private void begin(Settlement<V> settlement) {
    callers.checkTimeout(timeout, what);
    callers.checkOpen(what);
    Quietly.run(
        () -> {
          try {
            start.send(callers, timeout, what, settlement);
          } catch (
              Exception e) { // Akka's tell to an actor still starting throws InterruptedException
            // undeclared
            if (e instanceof InterruptedException interrupted) {
              Thread.currentThread().interrupt();
              throw new InterruptedWaitException(what, interrupted);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
          }
          return null;
        });
  }

  /**
   * Waits up to the margin for the target to say whether it withdrew the call. The wait ignores
   * further interrupts (and sets the flag again afterwards): a thread interrupted twice in quick
   * succession must still learn whether its put happened, or its answer would contradict the
   * buffer.
   */
  private V verdict(Pending<V> pending) {
    long deadline = System.nanoTime() + callers.margin().toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException again) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrowable(e.getCause());
        } catch (TimeoutException silent) {
          throw new NoVerdict();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The target did not say whether it withdrew the call. */
  private static final class NoVerdict extends RuntimeException {
    NoVerdict() {
      super(null, null, false, false);
    }
  }

  /** The outcome of a settled call: its value, or what it failed with. */
  private static <V> V outcome(CompletableFuture<V> done) {
    try {
      return done.join();
    } catch (CompletionException | CancellationException e) {
      throw rethrowable(e instanceof CompletionException ? e.getCause() : e);
    }
  }

  /**
   * A failure as a blocking caller sees it: kit exceptions as they are, others unwrapped from
   * {@link CompletionException}.
   */
  static RuntimeException rethrowable(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new CompletionException(cause);
  }

  /**
   * An ask whose reply {@code read} turns into the value; nothing is held, so walking away needs
   * nothing.
   */
  static <Req, Res, V> Start<V> asking(
      ActorRef<Req> target, Function<ActorRef<Res>, Req> message, Callers.Reading<Res, V> read) {
    return (callers, timeout, what, settlement) -> {
      Duration bound = callers.answerBound(timeout);
      // copy(), which Akka's Scala-backed stage does not override, gives a plain future completed
      // where the reply arrives, instead of one whose dependents hop to the default executor.
      // a timeline names the calling thread, not the ask's temporary actor
      String caller = callers.tracer().enabled() ? Thread.currentThread().getName() : null;
      AskPattern.<Req, Res>ask(
              target,
              replyTo -> {
                if (caller != null) {
                  callers.tracer().alias(replyTo, caller);
                }
                return message.apply(replyTo);
              },
              bound,
              callers.system().scheduler())
          .toCompletableFuture()
          .copy()
          .whenComplete(
              (reply, failure) -> {
                if (failure != null) {
                  settlement.fail(noAnswer(target, what, timeout, failure));
                  return;
                }
                V value;
                try {
                  value = read.read(reply);
                } catch (RuntimeException refused) {
                  settlement.fail(refused);
                  return;
                }
                settlement.deliver(value);
              });
    };
  }

  /**
   * A request made by a fresh stand-in, which the target watches as the owner; walking away stops
   * it. With a {@code withdrawal}, walking away first tells the target to withdraw the request,
   * from the thread that walks away, so that whatever that thread tells the target next comes after
   * it.
   */
  static <Req, Res, V> Start<V> standingIn(
      ActorRef<Req> target,
      Function<ActorRef<Res>, Req> request,
      Callers.Holding<Res, V> read,
      Callers.Withdrawal<Req, Res> withdrawal) {
    return (callers, timeout, what, settlement) -> {
      StandIns.Withdrawable withdrawable =
          withdrawal == null
              ? null
              : new StandIns.Withdrawable(
                  withdrawal.withdrawn(),
                  standIn ->
                      Quietly.tell(
                          target, withdrawal.withdraw().apply(standIn.ref(), standIn.replyTo())));
      StandIn standIn =
          callers.standIns().begin(target, timeout, what, settlement, read, withdrawable);
      try {
        if (withdrawal == null) {
          settlement.onWalkAway(standIn::walkAway);
        } else {
          ActorRef<Res> ignore = callers.system().ignoreRef();
          settlement.onWalkAway(
              () -> {
                if (standIn.startWithdrawing(null, withdrawal.withdrawn(), Duration.ZERO)) {
                  Quietly.tell(target, withdrawal.withdraw().apply(standIn.ref(), ignore));
                }
                standIn.walkAway();
              });
          settlement.onWithdraw(
              why -> {
                if (standIn.startWithdrawing(why, withdrawal.withdrawn(), callers.margin())) {
                  withdrawable.send().accept(standIn);
                }
              });
        }
        Quietly.tell(target, request.apply(standIn.replyTo()));
      } catch (RuntimeException failed) {
        standIn.stop();
        throw failed;
      }
    };
  }

  /**
   * A call made by the stand-in {@code held}, which holds something, as its holder (see {@link
   * StandIns#byHolder}). If it no longer holds anything by the time the call starts (it stopped,
   * and what it held went back with it), a release is done ({@code goneIsDone}) and any other call
   * fails with {@link ClosedException}.
   */
  static <Req, Res, V> Start<V> byHolder(
      StandIn held,
      ActorRef<Req> target,
      Function<ActorRef<Res>, Req> request,
      Callers.Holding<Res, V> read,
      boolean goneIsDone) {
    return (callers, timeout, what, settlement) -> {
      StandIn standIn = callers.standIns().byHolder(held, target, timeout, what, settlement, read);
      if (standIn == null) {
        held.stop();
        if (goneIsDone) {
          settlement.deliver(null);
        } else {
          settlement.fail(
              new ClosedException("nothing is held any more for " + what + ": its holder stopped"));
        }
        return;
      }
      try {
        settlement.onWalkAway(standIn::walkAway);
        Quietly.tell(target, request.apply(standIn.replyTo()));
      } catch (RuntimeException failed) {
        standIn.stop();
        throw failed;
      }
    };
  }

  private static Throwable noAnswer(
      ActorRef<?> target, String what, Duration timeout, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      return new TimedOutException(
          "an answer from " + Callers.nameOf(target) + " to " + what, timeout, cause);
    }
    if (cause instanceof KitException) {
      return cause;
    }
    return new ClosedException(
        "no answer from " + Callers.nameOf(target) + " to " + what + ": " + cause, cause);
  }
}
