package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.TimedOutException;

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

  /**
   * Blocks on a wait that answers fired or not: false also when the actor did not answer within the
   * margin, since the time ran out all the same.
   */
  static boolean await(Call<Boolean> waiting) {
    try {
      return waiting.await();
    } catch (TimedOutException e) {
      return false;
    }
  }
}
