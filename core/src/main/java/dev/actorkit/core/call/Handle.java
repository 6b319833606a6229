package dev.actorkit.core.call;

import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something a plain-Java caller holds — a semaphore's permits, a lock, an unacknowledged delivery —
 * and gives back with {@link #close()}, so that {@code try (Permit p = room.acquire()) { ... }} is
 * Python's {@code with room:}. Its {@link Holder} is the actor the pattern sees as the owner:
 * usually the call's {@link StandIn}, or a long-lived {@link Principal}.
 *
 * <ul>
 *   <li>{@link #releaseAsync()} sends the pattern's release, completes once the pattern actor has
 *       answered (off the actors' threads), and then lets the holder go (a stand-in that made the
 *       release itself serves other calls; one that did not stops). {@link #close()} does the same
 *       and waits. Only the first call releases; later ones complete at once.
 *   <li>If the holder is already gone — its target stopped, or the kit closed — there is nothing
 *       left to give back, and both complete at once without error. The same holds when the release
 *       fails but what was held went back all the same: the holder ended meanwhile, the kit closed,
 *       or the closing thread was interrupted once the release was sent (its interrupt flag stays
 *       set, as after {@code Lock.unlock()}).
 *   <li>A handle that becomes unreachable without being released (a thread that died holding it) is
 *       given back when the garbage collector finds it, with a warning in the log. Do not rely on
 *       it; close handles.
 * </ul>
 *
 * <p>Thread-safe.
 */
public abstract class Handle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Handle.class);
  private static final Cleaner CLEANER = Cleaner.create();

  private final Holder holder;
  private final AtomicBoolean released;
  private final Cleaner.Cleanable leak;

  /** A handle on what {@code holder} holds; {@code description} names it in the log if it leaks. */
  protected Handle(Holder holder, String description) {
    this.holder = holder;
    this.released = new AtomicBoolean();
    this.leak = CLEANER.register(this, new Leak(holder, released, description));
  }

  /**
   * Who holds what a handle gives back. Implementations must not refer to the handle, or it could
   * never become unreachable.
   */
  public interface Holder {
    /** The release was answered: let go (a stand-in is done with it; a principal carries on). */
    void released();

    /**
     * The handle became unreachable unreleased, or its release got no confirmation (timed out,
     * refused, or lost with a node that died): give it back without waiting for an answer, so that
     * nothing stays held for a holder that believes it let go.
     */
    void abandoned();

    /** Whether nothing is left to give back (the holder stopped, or the kit closed). */
    boolean isGone();
  }

  /** Whether {@link #close()} or {@link #releaseAsync()} has been called. */
  public final boolean isReleased() {
    return released.get();
  }

  /**
   * Gives it back; completes once the pattern actor has answered, then lets the holder go. A second
   * call releases nothing and completes at once.
   */
  public final CompletionStage<Void> releaseAsync() {
    if (!claim()) {
      return CompletableFuture.completedFuture(null);
    }
    return release()
        .async()
        .handle(
            (done, failure) -> {
              if (failure == null) {
                holder.released();
              } else {
                holder.abandoned();
              }
              if (failure != null && !isGivenBackAnyway(failure)) {
                throw new CompletionException(Call.rethrowable(failure));
              }
              return (Void) null;
            });
  }

  /**
   * Whether a release that failed gave back what was held all the same: the kit closed, the
   * releasing thread was interrupted after the release was sent, or the holder is gone — a pattern
   * actor gives back what a gone holder held when it learns of its end.
   */
  private boolean isGivenBackAnyway(Throwable failure) {
    RuntimeException why = Call.rethrowable(failure);
    return why instanceof ClosedException
        || why instanceof InterruptedWaitException
        || holder.isGone();
  }

  /**
   * Gives it back and waits for the pattern actor to confirm; see {@link #releaseAsync()}. A thread
   * whose interrupt flag is set still releases, as {@code Lock.unlock()} does; the flag stays set.
   */
  @Override
  public final void close() {
    if (!claim()) {
      return;
    }
    Quietly.run(
        () -> {
          boolean confirmed = false;
          try {
            release().await();
            confirmed = true;
          } catch (RuntimeException failed) {
            if (!isGivenBackAnyway(failed)) {
              throw failed;
            }
          } finally {
            if (confirmed) {
              holder.released();
            } else {
              holder.abandoned();
            }
          }
          return null;
        });
  }

  /**
   * The pattern's release of what the holder holds, as a call answered with nothing: for example an
   * ask of {@code Release(permits, owner)} that throws if refused.
   */
  protected abstract Call<Void> release();

  /**
   * True for the one caller that releases; false if released before or if there is nothing left.
   */
  private boolean claim() {
    if (!released.compareAndSet(false, true)) {
      return false;
    }
    leak.clean(); // runs Leak, which now sees released and does nothing
    return !holder.isGone();
  }

  /**
   * What the cleaner runs: gives back a handle nobody released. Holds no reference to the handle.
   */
  private record Leak(Holder holder, AtomicBoolean released, String description)
      implements Runnable {
    @Override
    public void run() {
      if (released.compareAndSet(false, true) && !holder.isGone()) {
        log.warn("{} was never closed and is unreachable now; giving it back", description);
        holder.abandoned();
      }
    }
  }
}
