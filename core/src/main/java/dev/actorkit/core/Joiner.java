package dev.actorkit.core;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A short-lived watcher behind {@link ActorKit#join}: completes when its target stops, or fails at
 * the deadline.
 */
final class Joiner {

  private Joiner() {}

  private enum Deadline {
    INSTANCE
  }

  static Behavior<Object> create(
      ActorRef<?> target, Duration storyTimeout, CompletableFuture<Done> stopped) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  context.watch(target);
                  timers.startSingleTimer(
                      Deadline.INSTANCE, KitClock.get(context.getSystem()).toReal(storyTimeout));
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          Deadline.class,
                          deadline -> {
                            stopped.completeExceptionally(
                                new TimedOutException(
                                    Ask.targetName(target) + " stopping", storyTimeout));
                            return Behaviors.stopped();
                          })
                      .onSignal(
                          Terminated.class,
                          terminated -> {
                            stopped.complete(Done.getInstance());
                            return Behaviors.stopped();
                          })
                      .build();
                }));
  }
}
