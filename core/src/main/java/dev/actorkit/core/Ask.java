package dev.actorkit.core;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.japi.function.Function;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Request-response from plain Java to an actor, with an explicit timeout and the kit's reply
 * conventions mapped to exceptions: the kit's own round trips (spawning, joining, cluster naming).
 * Clients of the patterns go through the caller layer, {@link dev.actorkit.core.call.Callers},
 * which adds the deadline policy, stand-ins and the walk-away rule on top.
 *
 * <p>Timeouts here are <em>real</em> time: clients convert a caller's story-time timeout with
 * {@link KitClock#toReal(Duration)} first.
 *
 * <p>The stages returned are plain {@code CompletableFuture}s completed on the thread that delivers
 * the reply, so a dependent stage added without an executor runs there, as with any {@code
 * CompletableFuture}. Akka's Java {@code AskPattern.ask} instead hands every dependent stage to
 * {@code CompletableFuture}'s default executor, which starts a new thread per stage when the common
 * pool has one thread (as it has on 2 cores): about ten times the cost of the ask itself. Do long
 * or blocking work in a callback with the {@code *Async} variants and an executor of your own. Use
 * these from outside actors only; inside an actor use {@code ActorContext.ask}, which turns the
 * reply into a message instead of running a callback on another thread.
 */
public final class Ask {

  private Ask() {}

  /**
   * Sends the message built by {@code message} and completes with whatever the target replies. If
   * no reply comes within {@code timeout}, the stage fails with {@link TimedOutException}.
   */
  public static <Req, Res> CompletionStage<Res> ask(
      ActorRef<Req> target,
      Function<ActorRef<Res>, Req> message,
      Duration timeout,
      Scheduler scheduler) {
    // copy(), which Akka's Scala-backed stage does not override, gives a plain future
    // completed where the reply arrives instead of one that hops to the default executor.
    return AskPattern.ask(target, message, timeout, scheduler)
        .toCompletableFuture()
        .copy()
        .handle(
            (reply, failure) -> {
              if (failure == null) {
                return reply;
              }
              throw new CompletionException(noReply(target, timeout, failure));
            });
  }

  /**
   * Like {@link #ask}, but completes only with a reply of type {@code expected}: a {@link
   * RejectedReply} fails the stage with {@link RejectedException}, a {@link TimedOutReply} with
   * {@link TimedOutException}, and any other reply with an {@link IllegalStateException} naming it.
   */
  public static <Req, Res, S extends Res> CompletionStage<S> askFor(
      Class<S> expected,
      ActorRef<Req> target,
      Function<ActorRef<Res>, Req> message,
      Duration timeout,
      Scheduler scheduler) {
    return Ask.<Req, Res>ask(target, message, timeout, scheduler)
        .thenApply(
            reply -> {
              if (expected.isInstance(reply)) {
                return expected.cast(reply);
              }
              KitException mapped = exceptionFor(reply, targetName(target));
              throw new CompletionException(
                  mapped != null
                      ? mapped
                      : new IllegalStateException(
                          targetName(target)
                              + " answered "
                              + reply
                              + ", expected "
                              + expected.getSimpleName()));
            });
  }

  /**
   * The exception a client throws for a conventional refusal: {@link RejectedException} for a
   * {@link RejectedReply}, {@link TimedOutException} for a {@link TimedOutReply}, otherwise {@code
   * null}.
   */
  public static KitException exceptionFor(Object reply, String target) {
    if (reply instanceof RejectedReply rejected) {
      return new RejectedException(target, rejected.reason());
    }
    if (reply instanceof TimedOutReply timedOut) {
      return new TimedOutException("a reply from " + target, timedOut.waited());
    }
    return null;
  }

  /**
   * Blocks until {@code stage} completes, at most {@code timeout}, and returns its value. A {@link
   * KitException} that failed the stage is rethrown as it is; any other failure is wrapped in a
   * {@link CompletionException}. Interruption sets the thread's flag again and throws {@link
   * InterruptedWaitException}. For the kit's own round trips; a client call goes through {@link
   * dev.actorkit.core.call.Call#await()}, which also walks away cleanly.
   *
   * @param what what is being waited for, for the exception's message
   */
  public static <T> T await(CompletionStage<T> stage, Duration timeout, String what) {
    try {
      return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException(what, e);
    } catch (TimeoutException e) {
      throw new TimedOutException(what, timeout, e);
    } catch (ExecutionException e) {
      throw rethrowable(e.getCause());
    }
  }

  /** The path of an actor inside its system, as error messages name it. */
  public static String targetName(ActorRef<?> target) {
    return target.path().toStringWithoutAddress();
  }

  private static RuntimeException rethrowable(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new CompletionException(cause);
  }

  private static Throwable noReply(ActorRef<?> target, Duration timeout, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TimeoutException) {
      return new TimedOutException("a reply from " + targetName(target), timeout, cause);
    }
    return cause;
  }

  /** The failure inside a {@link CompletionException}, which stages add as they pass it on. */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
