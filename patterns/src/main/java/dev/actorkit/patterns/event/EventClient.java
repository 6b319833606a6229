package dev.actorkit.patterns.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Event} for plain Java, shaped like Python's {@code threading.Event}: {@code set()},
 * {@code clear()}, {@code isSet()} and {@code await(timeout)} returning whether the event fired.
 *
 * <pre>{@code
 * EventClient dinner = EventClient.create(kit, "dinner", Event.Settings.defaults());
 * // each friend's thread:
 * if (dinner.await(Duration.ofSeconds(10))) { eat(); }
 * // the host:
 * dinner.set();   // every friend waiting wakes, once
 * }</pre>
 *
 * <p>Every method is thread-safe and never blocks the actor. Timeouts are story time; those not
 * given default to {@code actorkit.ask-timeout}. A wait that times out has left the event's queue;
 * each wait is made by its own stand-in, so a caller that walks away (interrupted, cancelled stage)
 * leaves nothing queued either — the rules of {@link dev.actorkit.core.call.Callers}. Refusals
 * throw {@link dev.actorkit.core.errors.RejectedException}; after the kit has closed every call
 * throws {@link dev.actorkit.core.errors.ClosedException}.
 */
public final class EventClient {

  private final ActorRef<Event.Command> event;
  private final Callers callers;
  private final String name;

  private EventClient(ActorRef<Event.Command> event, ActorSystem<?> system) {
    this.event = Objects.requireNonNull(event, "event");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(event);
  }

  /**
   * Spawns a clear event named {@code name} under the kit's primitives (a daemon) and returns its
   * client.
   */
  public static EventClient create(ActorKit kit, String name) {
    return create(kit, name, Event.Settings.defaults());
  }

  /**
   * Spawns an event with these settings under the kit's primitives (a daemon) and returns its
   * client.
   */
  public static EventClient create(ActorKit kit, String name, Event.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new EventClient(
        kit.spawn(Branch.PRIMITIVES, name, Event.create(settings), SpawnOptions.daemon()),
        kit.system());
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
    return setting().map(Event.WasSet::woken).async();
  }

  /** Sets the event and waits for the acknowledgement; returns how many waiters it woke. */
  public int set() {
    return setting().await().woken();
  }

  private Call<Event.WasSet> setting() {
    return callers.ask(
        event,
        callers.defaultTimeout(),
        "setting " + name,
        Event.Set::new,
        Callers.expect(Event.WasSet.class, event));
  }

  /** Clears the event; completes with whether it was set. */
  public CompletionStage<Boolean> clearAsync() {
    return clearing().map(Event.Cleared::wasSet).async();
  }

  /** Clears the event so that later waits block; returns whether it was set. */
  public boolean clear() {
    return clearing().await().wasSet();
  }

  private Call<Event.Cleared> clearing() {
    return callers.ask(
        event,
        callers.defaultTimeout(),
        "clearing " + name,
        Event.Clear::new,
        Callers.expect(Event.Cleared.class, event));
  }

  /** Whether the event is set now. */
  public CompletionStage<Boolean> isSetAsync() {
    return statusCall().map(Event.Status::set).async();
  }

  /** Whether the event is set now (blocking). */
  public boolean isSet() {
    return status().set();
  }

  /** Whether the event is set and how many waits are pending. */
  public Event.Status status() {
    return statusCall().await();
  }

  private Call<Event.Status> statusCall() {
    return callers.ask(
        event,
        callers.defaultTimeout(),
        "the status of " + name,
        Event.IsSet::new,
        Callers.expect(Event.Status.class, event));
  }

  /**
   * Waits until the event is set, at most {@code timeout} (story time). Completes with {@code true}
   * when it fired (at once if it was set), {@code false} when the time ran out. Cancelling the
   * stage withdraws the wait.
   */
  public CompletionStage<Boolean> awaitAsync(Duration timeout) {
    return waiting(timeout).async();
  }

  /**
   * Blocks until the event is set, at most {@code timeout} (story time), as Python's {@code
   * Event.wait(timeout)}: {@code true} if it fired, {@code false} if the time ran out.
   *
   * @throws dev.actorkit.core.errors.RejectedException for a negative timeout
   * @throws dev.actorkit.core.errors.InterruptedWaitException if the thread is interrupted
   */
  public boolean await(Duration timeout) {
    return Signals.await(waiting(timeout));
  }

  private Call<Boolean> waiting(Duration timeout) {
    return callers.through(
        event,
        timeout,
        "waiting for " + name,
        (ActorRef<Event.Reply> standIn) -> new Event.Wait(timeout, standIn),
        (reply, standIn) -> Signals.fired(reply, Event.Fired.class, event));
  }
}
