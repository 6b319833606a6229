package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import java.util.function.Supplier;

/**
 * Tells from a thread whose interrupt flag may be set. Akka's {@code tell} to an actor that is
 * still being started waits on a lock interruptibly, and an interrupted caller would get an
 * {@code InterruptedException} out of a method that declares none — in the middle of walking away
 * or of releasing what it holds, which must happen whatever the flag says. So the flag is cleared
 * for the tell and set again after it.
 */
final class Quietly {

  private Quietly() {}

  static <T> void tell(ActorRef<T> target, T message) {
    run(() -> {
      target.tell(message);
      return null;
    });
  }

  /** Runs {@code work} with the interrupt flag cleared, and sets it again afterwards if it was set. */
  static <T> T run(Supplier<T> work) {
    boolean interrupted = Thread.interrupted();
    try {
      return work.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
