package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.call.Handle;
import dev.actorkit.core.call.StandIn;

/**
 * Permits held by plain-Java code, released by {@link #close()}: {@code try (Permit p =
 * room.acquire()) { ... }} is Python's {@code with room:}.
 *
 * <p>The permits belong to the stand-in that acquired them; closing releases them (the first
 * waiters that fit are granted before the semaphore answers), and the stand-in serves other calls
 * from then on. The rest of the rules — closing twice, a closed kit, a permit never closed — are
 * those of {@link Handle}. Thread-safe.
 */
public final class Permit extends Handle {

  private final Callers callers;
  private final ActorRef<Semaphore.Command> semaphore;
  private final StandIn standIn;
  private final int permits;
  private final long token;

  Permit(
      Callers callers,
      ActorRef<Semaphore.Command> semaphore,
      StandIn standIn,
      int permits,
      long token) {
    super(standIn, "a Permit of " + permits + " of " + Callers.nameOf(semaphore));
    this.callers = callers;
    this.standIn = standIn;
    this.semaphore = semaphore;
    this.permits = permits;
    this.token = token;
  }

  /**
   * The grant's fencing token: greater than the token of every permit granted before it by the same
   * semaphore (see {@link Semaphore.Granted}).
   */
  public long token() {
    return token;
  }

  /** How many permits this handle holds. */
  public int permits() {
    return permits;
  }

  /** The stand-in actor the semaphore sees as the holder. */
  public ActorRef<?> owner() {
    return standIn.ref();
  }

  StandIn standIn() {
    return standIn;
  }

  @Override
  protected Call<Void> release() {
    return callers.release(
        standIn,
        semaphore,
        "releasing " + permits + " permit(s) of " + Callers.nameOf(semaphore),
        (ActorRef<Semaphore.Reply> replyTo) -> new Semaphore.Release(permits, owner(), replyTo),
        Callers.confirmedBy(Semaphore.Released.class, semaphore));
  }

  @Override
  public String toString() {
    return "Permit["
        + permits
        + " of "
        + Callers.nameOf(semaphore)
        + (isReleased() ? ", released]" : "]");
  }
}
