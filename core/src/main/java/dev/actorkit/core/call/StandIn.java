package dev.actorkit.core.call;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One call made by a stand-in actor on behalf of a plain-Java caller: the owner a pattern actor
 * watches, and where it replies (see {@link StandIns} for the actors and their life).
 *
 * <p>The first reply is read into the caller's value (see {@link Callers.Holding}); if the caller
 * takes the value, the stand-in runs what was asked to run {@linkplain #afterAccepted after
 * acceptance} (an acknowledgement), and then either serves the next call or, if the reading
 * {@linkplain #keep() kept} it, lives on as the holder until {@link #stop()} — typically from a
 * {@link Handle}'s release. It stops at once if the caller walked away, if no reply comes within
 * {@link Callers#answerBound}, or if the target stops; a pattern actor that watches it then gives
 * back what it held and drops its waits. That is the whole of the walk-away rule: one actor's
 * death, which every pattern actor already handles.
 *
 * <p>{@link #ref()}, {@link #stop()}, {@link #farewell} and {@link #isStopped()} are thread-safe
 * and act on this call only: once the stand-in serves another call, they do nothing. {@link
 * #keep()}, {@link #afterAccepted} and {@link #onLater} may only be called while reading the reply.
 */
public final class StandIn implements Handle.Holder {

  private final StandIns.Slot slot;
  private final long use;
  private final StandIns.Use<?, ?> call;

  /** Set by the first request to end this call, so that later ones send nothing. */
  private final AtomicBoolean ending = new AtomicBoolean();

  // Set while the reply is read, on the stand-in's thread; read there once the caller has settled.
  private volatile boolean kept;
  private volatile List<Runnable> afterAccepted;
  private volatile Notices<?> later;

  StandIn(StandIns.Slot slot, long use, StandIns.Use<?, ?> call) {
    this.slot = slot;
    this.use = use;
    this.call = call;
  }

  /** The actor that stands for the caller: the owner the target watches. */
  public ActorRef<?> ref() {
    return slot.ref();
  }

  /** The same actor, typed as the target's reply address. */
  <Res> ActorRef<Res> replyTo() {
    return slot.replyTo();
  }

  long use() {
    return use;
  }

  /**
   * While reading the reply: it leaves something held for this stand-in; live on until {@link
   * #stop()}.
   */
  public void keep() {
    kept = true;
  }

  boolean kept() {
    return kept;
  }

  /**
   * While reading the reply: once the caller has taken the value, run {@code action} (an
   * acknowledgement to the target).
   */
  public void afterAccepted(Runnable action) {
    List<Runnable> actions = afterAccepted == null ? new ArrayList<>(1) : afterAccepted;
    actions.add(action);
    afterAccepted = actions;
  }

  /** What to run once the caller has the value, or null. */
  List<Runnable> afterAcceptedActions() {
    return afterAccepted;
  }

  /**
   * While reading the reply of a kept stand-in: what to do with messages of type {@code type} that
   * come later, while it holds and while its release is answered (a lock's {@code Revoked}). Others
   * are ignored.
   */
  public <T> void onLater(Class<T> type, Consumer<? super T> handler) {
    later = new Notices<>(type, handler);
  }

  Notices<?> later() {
    return later;
  }

  /** Messages about what a stand-in holds, which are not the answer to any call. */
  record Notices<T>(Class<T> type, Consumer<? super T> handler) {
    /** Hands {@code message} to the handler if it is a notice; false if it is not one. */
    boolean offer(Object message) {
      if (!type.isInstance(message)) {
        return false;
      }
      handler.accept(type.cast(message));
      return true;
    }
  }

  StandIns.Slot slot() {
    return slot;
  }

  /**
   * Claims the right to end this call (a stop, a farewell, a release): true for the first claim
   * only.
   */
  boolean claimEnding() {
    return ending.compareAndSet(false, true);
  }

  /**
   * Stops the stand-in; a target that watches it gives back whatever it still holds. Idempotent.
   */
  public void stop() {
    if (claimEnding()) {
      slot.tell(new StandIns.End(use));
    }
  }

  /**
   * Has the stand-in tell {@code target} its last message and stop: the message reaches the target
   * before the target learns that the stand-in stopped (an acknowledgement that must not be
   * overtaken by the death that would give the item back). Does nothing if it is already ending.
   */
  public <M> void farewell(ActorRef<M> target, M message) {
    if (claimEnding()) {
      slot.tell(new StandIns.Farewell<>(use, target, message));
    }
  }

  /**
   * Whether this call's stand-in has stopped, or moved on to another call: nothing is held for this
   * one.
   */
  public boolean isStopped() {
    return slot.isStopped() || slot.currentUse() != use;
  }

  /**
   * A handle's release was answered: a stand-in that held something is done. If the release was
   * made by this stand-in itself (see {@link Callers#release}), it has moved on and this does
   * nothing.
   */
  @Override
  public void released() {
    stop();
  }

  /** A handle on what it holds became unreachable: stopping gives it back. */
  @Override
  public void abandoned() {
    stop();
  }

  @Override
  public boolean isGone() {
    return isStopped();
  }

  /** The caller walked away before the answer: stop, so that the target lets go. */
  void walkAway() {
    if (claimEnding()) {
      slot.tell(new StandIns.WalkAway(use));
    }
  }

  /**
   * The caller leaves and will ask the target to withdraw the call: true if it may (a reply of type
   * {@code withdrawn} will then end the call with {@code why}, and the call's own answer, if it
   * comes first, still reaches the caller); false if the answer is already being settled.
   */
  boolean startWithdrawing(Throwable why, Class<?> withdrawn, java.time.Duration verdictWithin) {
    return call.startWithdrawing(why, withdrawn, verdictWithin);
  }

  @Override
  public String toString() {
    return "StandIn[" + slot.ref().path().name() + " #" + use + (isStopped() ? ", done]" : "]");
  }
}
