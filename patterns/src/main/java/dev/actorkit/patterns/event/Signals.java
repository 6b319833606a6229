package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.call.Callers;

/** The reading that an event's and a latch's waits share: fired, or the time ran out. */
final class Signals {

  private Signals() {}

  /** True for a reply of type {@code fired}, false for a timeout; anything else is a refusal. */
  static boolean fired(Object reply, Class<?> fired, ActorRef<?> target) {
    if (fired.isInstance(reply)) {
      return true;
    }
    if (reply instanceof TimedOutReply) {
      return false;
    }
    throw Callers.refusal(reply, target);
  }
}
