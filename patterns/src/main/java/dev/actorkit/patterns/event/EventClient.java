package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Event} for plain Java, shaped like Python's {@code threading.Event}:
 * {@code set()}, {@code clear()}, {@code isSet()} and {@code await(timeout)} returning whether
 * the event fired.
 *
 * <pre>{@code
 * EventClient dinner = EventClient.create(kit, "dinner");
 * // each friend's thread:
 * if (dinner.await(Duration.ofSeconds(10))) { eat(); }
 * // the host:
 * dinner.set();   // every friend waiting wakes, once
 * }</pre>
 *
 * <p>Every method is thread-safe and never blocks the actor. Timeouts are story time; those
 * not given default to {@code actorkit.ask-timeout}. A wait that times out leaves the event's
 * queue (the event's own timer answers it). If the calling thread gives up first (the ask's
 * real-time bound, a little longer, passes), the temporary actor behind the ask stops and the
 * event drops the wait, as it does for any waiter that dies. Refusals throw
 * {@link dev.actorkit.core.errors.RejectedException}; an event that does not answer at all
 * makes a call throw {@link TimedOutException}.
 */
public final class EventClient {

  private final ActorRef<Event.Command> event;
  private final ClientSupport support;

  private EventClient(ActorRef<Event.Command> event, ActorSystem<?> system) {
    this.event = event;
    this.support = new ClientSupport(event, system);
  }

  /** Spawns a clear event named {@code name} under the kit's primitives (a daemon) and returns its client. */
  public static EventClient create(ActorKit kit, String name) {
    return create(kit, name, Event.Settings.defaults());
  }

  /** Spawns an event with these settings under the kit's primitives (a daemon) and returns its client. */
  public static EventClient create(ActorKit kit, String name, Event.Settings settings) {
    return new EventClient(ClientSupport.spawn(kit, name, Event.create(settings)), kit.system());
  }

  /** A client for an event that already runs in {@code system}. */
  public static EventClient of(ActorRef<Event.Command> event, ActorSystem<?> system) {
    return new EventClient(event, system);
  }

  /** The event actor, to hand to other actors. */
  public ActorRef<Event.Command> ref() {
    return event;
  }

  /** Sets the event; completes with how many waiters it woke. */
  public CompletionStage<Integer> setAsync() {
    return support.askFor(Event.WasSet.class, event, Event.Set::new).thenApply(Event.WasSet::woken);
  }

  /** Sets the event and waits for the acknowledgement; returns how many waiters it woke. */
  public int set() {
    return support.await(setAsync(), "setting");
  }

  /** Clears the event; completes with whether it was set. */
  public CompletionStage<Boolean> clearAsync() {
    return support.askFor(Event.Cleared.class, event, Event.Clear::new).thenApply(Event.Cleared::wasSet);
  }

  /** Clears the event so that later waits block; returns whether it was set. */
  public boolean clear() {
    return support.await(clearAsync(), "clearing");
  }

  /** Whether the event is set now. */
  public CompletionStage<Boolean> isSetAsync() {
    return support.askFor(Event.Status.class, event, Event.IsSet::new).thenApply(Event.Status::set);
  }

  /** Whether the event is set now (blocking). */
  public boolean isSet() {
    return support.await(isSetAsync(), "asking");
  }

  /** Whether the event is set and how many waits are pending. */
  public Event.Status status() {
    return support.await(support.askFor(Event.Status.class, event, Event.IsSet::new), "asking");
  }

  /**
   * Waits until the event is set, at most {@code timeout} (story time). Completes with
   * {@code true} when it fired (at once if it was set), {@code false} when the timeout passed.
   */
  public CompletionStage<Boolean> waitAsync(Duration timeout) {
    return support.awaitSignal(
        event, (ActorRef<Event.Reply> replyTo) -> new Event.Wait(timeout, replyTo), timeout, Event.Fired.class);
  }

  /**
   * Blocks until the event is set, at most {@code timeout} (story time), as Python's
   * {@code Event.wait(timeout)}: {@code true} if it fired, {@code false} if the time ran out.
   *
   * @throws dev.actorkit.core.errors.RejectedException for a negative timeout
   * @throws dev.actorkit.core.errors.InterruptedWaitException if the thread is interrupted
   */
  public boolean await(Duration timeout) {
    return support.await(waitAsync(timeout), timeout, "waiting for");
  }
}
