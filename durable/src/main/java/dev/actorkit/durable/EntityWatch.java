package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What every durable primitive does with the actors in its record, by composition: it watches each
 * holder, waiter or fenced resource once (a {@code watchWith} of the message {@code died} makes),
 * unwatches one that no longer takes part, and, after a recovery on any node, watches them all
 * again and restarts the waiters' timers from their wall-clock deadlines. Not kept in the store: a
 * new incarnation starts with nobody watched. Not thread-safe: it belongs to one entity.
 */
final class EntityWatch {

  private final ActorContext<Object> context;
  private final Function<ActorRef<?>, Object> died;
  private final Set<ActorRef<?>> watched = new HashSet<>();

  EntityWatch(ActorContext<Object> context, Function<ActorRef<?>, Object> died) {
    this.context = context;
    this.died = died;
  }

  /** Watches {@code ref} unless it is watched already. */
  void watch(ActorRef<?> ref) {
    if (watched.add(ref)) {
      context.watchWith(ref, died.apply(ref));
    }
  }

  /** {@code ref} died: it is not watched any more. */
  void died(ActorRef<?> ref) {
    watched.remove(ref);
  }

  /** Unwatches {@code ref} if it no longer holds, waits or is fenced. */
  void unwatchUnless(boolean involved, ActorRef<?> ref) {
    if (!involved && watched.remove(ref)) {
      context.unwatch(ref);
    }
  }

  /** The wall-clock deadline of a wait of {@code real} length starting now; 0 for none. */
  static long deadlineOf(Duration real) {
    return real == null ? 0 : System.currentTimeMillis() + real.toMillis();
  }

  /**
   * After a recovery: starts the timer {@code key} to send {@code expired} when the wall-clock
   * {@code deadlineMillis} comes (at once if it has passed); nothing for a wait without one.
   */
  static void restartTimer(
      TimerScheduler<Object> timers, Object key, long deadlineMillis, Object expired) {
    if (deadlineMillis == 0) {
      return;
    }
    long left = Math.max(0, deadlineMillis - System.currentTimeMillis());
    timers.startSingleTimer(key, expired, Duration.ofMillis(left));
  }
}
