package dev.actorkit.patterns.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.Ask;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Permits held by plain-Java code, released by {@link #close()}: {@code try (Permit p =
 * room.acquire()) { ... }} is Python's {@code with room:}.
 *
 * <p>The permits belong to a short-lived owner actor made for this permit. Closing releases
 * them and stops the owner; if the JVM code never closes the permit, they come back when the
 * actor system stops the owner. Closing twice releases once. Thread-safe.
 */
public final class Permit implements AutoCloseable {

  private final ActorRef<Semaphore.Command> semaphore;
  private final ActorRef<Owners.Stop> owner;
  private final ActorSystem<?> system;
  private final int permits;
  private final Duration timeout;
  private final AtomicBoolean released = new AtomicBoolean();

  Permit(ActorRef<Semaphore.Command> semaphore, ActorRef<Owners.Stop> owner, ActorSystem<?> system, int permits, Duration timeout) {
    this.semaphore = semaphore;
    this.owner = owner;
    this.system = system;
    this.permits = permits;
    this.timeout = timeout;
  }

  /** How many permits this handle holds. */
  public int permits() {
    return permits;
  }

  /** The owner actor the semaphore sees as the holder. */
  public ActorRef<?> owner() {
    return owner;
  }

  /** Whether {@link #close()} or {@link #releaseAsync()} has been called. */
  public boolean isReleased() {
    return released.get();
  }

  /**
   * Gives the permits back and completes with the semaphore's answer; the first waiters that
   * fit are granted before it answers. A second call releases nothing and completes at once
   * with {@code Released(0, -1)}.
   */
  public CompletionStage<Semaphore.Released> releaseAsync() {
    if (!released.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(new Semaphore.Released(0, -1));
    }
    return Ask.<Semaphore.Command, Semaphore.Reply, Semaphore.Released>askFor(
            Semaphore.Released.class,
            semaphore,
            replyTo -> new Semaphore.Release(permits, owner, replyTo),
            Owners.askTimeout(system, timeout),
            system.scheduler())
        .whenComplete((done, failure) -> owner.tell(Owners.Stop.INSTANCE));
  }

  /** Gives the permits back and waits for the semaphore to confirm. */
  @Override
  public void close() {
    Ask.await(releaseAsync(), Owners.askTimeout(system, timeout), "releasing " + permits + " permits");
  }

  @Override
  public String toString() {
    return "Permit[" + permits + " of " + Ask.targetName(semaphore) + (released.get() ? ", released]" : "]");
  }
}
