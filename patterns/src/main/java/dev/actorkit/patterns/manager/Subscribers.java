package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The change subscribers of a shared-state server: each is watched, so a dead one is dropped, and
 * each is told every change in the order the server applied them.
 *
 * @param <C> the server's command type
 * @param <E> the change event subscribers receive
 */
final class Subscribers<C, E> {

  private final ActorContext<C> context;
  private final Function<ActorRef<E>, C> terminated;
  private final Set<ActorRef<E>> subscribers = new LinkedHashSet<>();

  /** {@code terminated} builds the message the server gets when a subscriber stops. */
  Subscribers(ActorContext<C> context, Function<ActorRef<E>, C> terminated) {
    this.context = context;
    this.terminated = terminated;
  }

  /** Subscribes {@code subscriber}; subscribing twice changes nothing. */
  void add(ActorRef<E> subscriber) {
    if (subscribers.add(subscriber)) {
      context.watchWith(subscriber, terminated.apply(subscriber));
    }
  }

  /** Unsubscribes {@code subscriber}, if it was subscribed. */
  void remove(ActorRef<E> subscriber) {
    if (subscribers.remove(subscriber)) {
      context.unwatch(subscriber);
    }
  }

  /** Forgets a subscriber that has stopped. */
  void stopped(ActorRef<E> subscriber) {
    subscribers.remove(subscriber);
  }

  boolean isEmpty() {
    return subscribers.isEmpty();
  }

  /** Tells every subscriber of {@code change}. */
  void tellAll(E change) {
    for (ActorRef<E> subscriber : subscribers) {
      subscriber.tell(change);
    }
  }
}
