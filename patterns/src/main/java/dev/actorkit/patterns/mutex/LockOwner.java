package dev.actorkit.patterns.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.call.Principal;
import dev.actorkit.core.errors.ClosedException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain-Java owner of locks: one line of control, like one Python thread holding an {@code
 * RLock}, standing for the caller in every request so that a mutex can watch it and release what it
 * holds when it stops.
 *
 * <p>It is a {@link Principal}: its requests are sent one after the other, each once the previous
 * one has ended, so an owner waiting for one lock sends nothing else until that wait ends; every
 * request has a deadline, so one that gets no answer never wedges the owner. It may hold several
 * mutexes at once (which is how two owners can deadlock, and how the detector names them). A caller
 * that walks away from one of its waits (interrupted, cancelled, timed out) has the wait withdrawn
 * with {@link Mutex.Withdraw}, and a grant that overtook the withdrawal is released; the owner's
 * other holds stay. {@link #close()} stops the actor: every mutex it still holds is released by
 * death watch, its waits are dropped, and requests not yet answered fail with {@link
 * ClosedException}.
 */
public final class LockOwner implements AutoCloseable {

  private final Principal principal;
  private final Set<String> revoked;

  private LockOwner(Principal principal, Set<String> revoked) {
    this.principal = principal;
    this.revoked = revoked;
  }

  /**
   * A new owner named {@code name}, the name the deadlock detector shows.
   *
   * @throws dev.actorkit.core.errors.RejectedException if the name is blank, not a valid actor name
   *     (a {@code /}, say) or used by another live owner of this system
   * @throws ClosedException if the kit is closed
   */
  public static LockOwner create(ActorSystem<?> system, String name) {
    Objects.requireNonNull(system, "system");
    Set<String> revoked = ConcurrentHashMap.newKeySet();
    Principal principal =
        Principal.create(
            system,
            name,
            message -> message instanceof Mutex.Revoked,
            notice -> {
              Mutex.Revoked lost = (Mutex.Revoked) notice;
              revoked.add(key(lost.mutex(), lost.token()));
            });
    return new LockOwner(principal, revoked);
  }

  /** The name the owner was created with. */
  public String name() {
    return principal.name();
  }

  /** The actor that stands for this owner in every request. */
  public ActorRef<?> ref() {
    return principal.ref();
  }

  /**
   * Whether hold {@code token} of {@code mutex} was revoked by its lease (as far as this owner has
   * been told).
   */
  public boolean isRevoked(ActorRef<Mutex.Command> mutex, long token) {
    return revoked.contains(key(mutex, token));
  }

  void markRevoked(ActorRef<Mutex.Command> mutex, long token) {
    revoked.add(key(mutex, token));
  }

  /**
   * The hold {@code token} of {@code mutex} is released: its lock keeps what it learned, the owner
   * forgets it.
   */
  void forget(ActorRef<Mutex.Command> mutex, long token) {
    revoked.remove(key(mutex, token));
  }

  Principal principal() {
    return principal;
  }

  /** Stops the owner; the mutexes it holds are released by death watch. */
  @Override
  public void close() {
    principal.close();
  }

  @Override
  public String toString() {
    return "LockOwner[" + name() + "]";
  }

  private static String key(ActorRef<?> mutex, long token) {
    return mutex.path() + "#" + token;
  }
}
