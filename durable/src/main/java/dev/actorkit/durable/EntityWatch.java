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

  /**
   * After a recovery: watches {@code ref}, and if it lives at an address that is not a member of
   * this cluster, and still is not after {@link #UNKNOWN_GRACE}, reports it dead. A watch finds a
   * ref on a member that was removed dead at once, but a ref from a cluster that no longer exists
   * (the whole cluster was restarted from the store) would never be reported: nobody answers for
   * its address. The grace covers a node that joined so recently that gossip has not brought it
   * here yet.
   */
  void watchRecovered(ActorRef<?> ref) {
    watch(ref);
    akka.actor.Address address = ref.path().address();
    if (address.hasLocalScope() || isMember(address)) {
      return;
    }
    Object death = died.apply(ref);
    ActorRef<Object> self = context.getSelf();
    akka.cluster.typed.Cluster cluster = akka.cluster.typed.Cluster.get(context.getSystem());
    context
        .getSystem()
        .scheduler()
        .scheduleOnce(
            UNKNOWN_GRACE,
            () -> {
              if (!isMember(cluster, address)) {
                self.tell(death);
              }
            },
            context.getSystem().executionContext());
  }

  /** How long an address unknown to the cluster may take to show up as a member. */
  static final Duration UNKNOWN_GRACE = Duration.ofSeconds(3);

  private boolean isMember(akka.actor.Address address) {
    return isMember(akka.cluster.typed.Cluster.get(context.getSystem()), address);
  }

  private static boolean isMember(akka.cluster.typed.Cluster cluster, akka.actor.Address address) {
    for (akka.cluster.Member member : cluster.state().getMembers()) {
      if (member.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entity restarts: forget every watch, so that the recovery's watches are new ones (a death
   * notice dropped with the old incarnation's messages is given again).
   */
  void forgetAll() {
    watched.forEach(context::unwatch);
    watched.clear();
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
