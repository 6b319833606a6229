package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.japi.function.Function;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What every client of this package shares: the system, its clock, the default timeout, the
 * margins, and the asks and blocking waits built on them, so that each client method says only
 * what it sends and what it makes of the answer.
 */
final class ClientSupport {

  /**
   * Real time added to a client's ask beyond the caller's timeout, so that the actor's own
   * {@code TimedOut} (enforced by its timer) normally answers first.
   */
  static final Duration MARGIN = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final KitClock clock;
  private final Duration askTimeout;
  final String name;

  ClientSupport(ActorRef<?> target, ActorSystem<?> system) {
    this.system = system;
    this.clock = KitClock.get(system);
    this.askTimeout = system.settings().config().getDuration("actorkit.ask-timeout");
    this.name = Ask.targetName(target);
  }

  static <T> ActorRef<T> spawn(ActorKit kit, String name, Behavior<T> behavior) {
    return kit.spawn(Branch.PRIMITIVES, name, behavior, SpawnOptions.daemon());
  }

  /** The real-time bound of an ask that lets the actor wait {@code storyTimeout}. */
  private Duration askBound(Duration storyTimeout) {
    Duration story = storyTimeout == null || storyTimeout.isNegative() ? Duration.ZERO : storyTimeout;
    return clock.toReal(story).plus(MARGIN);
  }

  /** The real-time bound of a blocking wait on such an ask: a little longer, so the ask's own failure is what surfaces. */
  private Duration awaitBound(Duration storyTimeout) {
    return askBound(storyTimeout).plus(MARGIN);
  }

  /**
   * Asks {@code target} something it answers at once, within the default timeout, for a reply
   * of type {@code expected}; a refusal fails the stage as {@link Ask#askFor} says.
   */
  <Req, Res, S extends Res> CompletionStage<S> askFor(
      Class<S> expected, ActorRef<Req> target, Function<ActorRef<Res>, Req> message) {
    return Ask.askFor(expected, target, message, askBound(askTimeout), system.scheduler());
  }

  /**
   * Asks {@code target} to wait at most {@code storyTimeout} before it answers. The ask's own
   * real-time bound is a little longer, so that the target's timer normally answers first.
   */
  <Req, Res> CompletionStage<Res> askToWait(ActorRef<Req> target, Function<ActorRef<Res>, Req> message, Duration storyTimeout) {
    return Ask.ask(target, message, askBound(storyTimeout), system.scheduler());
  }

  /**
   * {@link #askToWait} for a wait whose outcome is yes or no: completes {@code true} on a reply
   * of type {@code done}, {@code false} on a {@link TimedOutReply} or when no reply came within
   * the ask's bound; a refusal fails the stage with the exception {@link Ask#exceptionFor} names.
   */
  <Req, Res> CompletionStage<Boolean> awaitSignal(
      ActorRef<Req> target, Function<ActorRef<Res>, Req> message, Duration storyTimeout, Class<? extends Res> done) {
    return askToWait(target, message, storyTimeout)
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                Throwable cause = Ask.unwrap(failure);
                if (cause instanceof TimedOutException) {
                  return false;
                }
                throw new CompletionException(cause);
              }
              if (done.isInstance(reply)) {
                return true;
              }
              if (reply instanceof TimedOutReply) {
                return false;
              }
              throw unexpected(reply);
            });
  }

  /**
   * The failure for a reply a client has no use for: the conventional exception for a
   * refusal, else an {@link IllegalStateException}.
   */
  CompletionException unexpected(Object reply) {
    RuntimeException refused = Ask.exceptionFor(reply, name);
    return new CompletionException(refused != null ? refused : new IllegalStateException("unexpected " + reply));
  }

  /** Blocks for a stage asked within the default timeout; {@code doing} names the call in a failure ("setting"). */
  <T> T await(CompletionStage<T> stage, String doing) {
    return await(stage, askTimeout, doing);
  }

  /** Blocks for a stage that lets the actor wait {@code storyTimeout}; {@code doing} names the call in a failure. */
  <T> T await(CompletionStage<T> stage, Duration storyTimeout, String doing) {
    return Ask.await(stage, awaitBound(storyTimeout), doing + " " + name);
  }
}
