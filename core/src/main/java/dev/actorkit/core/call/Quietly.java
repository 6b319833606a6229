package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import java.util.function.Supplier;

/**
 * Tells from a thread whose interrupt flag may be set, or may be set while it tells. Akka's {@code
 * tell} to an actor that is still being started waits on a lock interruptibly, and an interrupted
 * caller gets an {@code InterruptedException} out of a method that declares none — in the middle of
 * walking away or of releasing what it holds, which must happen whatever the flag says. So the flag
 * is cleared for the tell, a tell that was interrupted before it enqueued anything is made again,
 * and the flag is set again afterwards.
 */
final class Quietly {

  private Quietly() {}

  static <T> void tell(ActorRef<T> target, T message) {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          target.tell(message);
          return;
        } catch (
            Exception e) { // InterruptedException is thrown undeclared; it comes before anything is
          // enqueued
          if (!(e instanceof InterruptedException)) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs {@code work} with the interrupt flag cleared, and sets it again afterwards if it was set.
   */
  static <T> T run(Supplier<T> work) {
    boolean interrupted = Thread.interrupted();
    try {
      return work.get();
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
