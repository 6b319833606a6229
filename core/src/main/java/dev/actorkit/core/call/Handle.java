package dev.actorkit.core.call;

import dev.actorkit.core.errors.ClosedException;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something a plain-Java caller holds through a {@link StandIn} — a semaphore's permits, a lock,
 * an unacknowledged delivery — and gives back with {@link #close()}, so that
 * {@code try (Permit p = room.acquire()) { ... }} is Python's {@code with room:}.
 *
 * <ul>
 *   <li>{@link #releaseAsync()} sends the pattern's release, completes once the pattern actor
 *       has answered (off the actors' threads), and then stops the stand-in. {@link #close()} does
 *       the same and waits. Only the first call releases; later ones complete at once.
 *   <li>If the stand-in has already stopped — its target stopped, or the kit closed — there is
 *       nothing left to give back, and both complete at once without error.
 *   <li>A handle that becomes unreachable without being released (a thread that died holding
 *       it) is released when the garbage collector finds it, with a warning in the log: the stand-in
 *       stops, and the pattern actor takes back what it held. Do not rely on it; close handles.
 * </ul>
 *
 * <p>Thread-safe.
 */
public abstract class Handle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Handle.class);
  private static final Cleaner CLEANER = Cleaner.create();

  private final StandIn standIn;
  private final AtomicBoolean released;
  private final Cleaner.Cleanable leak;

  /** A handle on what {@code standIn} holds; {@code description} names it in the log if it leaks. */
  protected Handle(StandIn standIn, String description) {
    this.standIn = standIn;
    this.released = new AtomicBoolean();
    this.leak = CLEANER.register(this, new Leak(standIn, released, description));
  }

  /** The stand-in that holds it, the owner the pattern actor sees. */
  public final StandIn standIn() {
    return standIn;
  }

  /** Whether {@link #close()} or {@link #releaseAsync()} has been called. */
  public final boolean isReleased() {
    return released.get();
  }

  /**
   * Gives it back; completes once the pattern actor has answered, then the stand-in stops. A
   * second call releases nothing and completes at once.
   */
  public final CompletionStage<Void> releaseAsync() {
    if (!claim()) {
      return CompletableFuture.completedFuture(null);
    }
    return release()
        .async()
        .handle(
            (done, failure) -> {
              standIn.stop();
              if (failure != null && !(Call.rethrowable(failure) instanceof ClosedException)) {
                throw new CompletionException(Call.rethrowable(failure));
              }
              return (Void) null;
            });
  }

  /** Gives it back and waits for the pattern actor to confirm; see {@link #releaseAsync()}. */
  @Override
  public final void close() {
    if (!claim()) {
      return;
    }
    try {
      release().await();
    } catch (ClosedException gone) {
      // the kit closed meanwhile: what was held went with it
    } finally {
      standIn.stop();
    }
  }

  /**
   * The pattern's release of what the stand-in holds, as a call answered with nothing: for
   * example an ask of {@code Release(permits, standIn().ref())} that throws if refused.
   */
  protected abstract Call<Void> release();

  /** True for the one caller that releases; false if released before or if there is nothing left. */
  private boolean claim() {
    if (!released.compareAndSet(false, true)) {
      return false;
    }
    leak.clean(); // runs Leak, which now sees released and does nothing
    return !standIn.isStopped();
  }

  /** What the cleaner runs: gives back a handle nobody released. Holds no reference to the handle. */
  private record Leak(StandIn standIn, AtomicBoolean released, String description) implements Runnable {
    @Override
    public void run() {
      if (released.compareAndSet(false, true) && !standIn.isStopped()) {
        log.warn("{} was never closed and is unreachable now; giving it back", description);
        standIn.stop();
      }
    }
  }
}
