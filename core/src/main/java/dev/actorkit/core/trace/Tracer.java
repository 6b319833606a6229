package dev.actorkit.core.trace;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.actorkit.core.KitClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects {@link TraceEvent}s from every primitive of one actor system, in memory, when it is
 * switched on.
 *
 * <p>Off by default ({@code actorkit.trace.enabled}). When off, {@link #emit} costs one volatile
 * read and builds nothing: pass the detail as an object and its {@code toString()} runs only when
 * the event is kept. At most {@code actorkit.trace.max-events} events are kept; later ones are
 * counted in {@link #dropped()}. Events from one actor are in the order that actor emitted them;
 * events from different actors are ordered by their {@link TraceEvent#at()} only as far as the
 * clock can tell them apart.
 */
public final class Tracer implements Extension {

  private final KitClock clock;
  private final int maxEvents;
  private final ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger kept = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean enabled;

  private Tracer(KitClock clock, boolean enabled, int maxEvents) {
    this.clock = clock;
    this.enabled = enabled;
    this.maxEvents = maxEvents;
  }

  /**
   * The tracer of this actor system. Under {@code BehaviorTestKit}, whose stub system cannot hold
   * extensions, a fresh tracer read from the stub's configuration (off unless configured).
   */
  public static Tracer get(ActorSystem<?> system) {
    try {
      return Id.INSTANCE.apply(system);
    } catch (UnsupportedOperationException stubSystem) {
      return Id.INSTANCE.createExtension(system);
    }
  }

  /** Whether events are being kept now. */
  public boolean enabled() {
    return enabled;
  }

  /** Starts keeping events. */
  public void start() {
    enabled = true;
  }

  /** Stops keeping events; those kept so far stay until {@link #clear()}. */
  public void stop() {
    enabled = false;
  }

  /** Forgets every kept event and the count of dropped ones. */
  public void clear() {
    events.clear();
    kept.set(0);
    dropped.set(0);
  }

  /** Records that {@code kind} happened in {@code actor}, concerning {@code detail}. */
  public void emit(ActorRef<?> actor, String kind, Object detail) {
    if (enabled) {
      keep(pathInKit(actor), kind, detail);
    }
  }

  /** Records an event for something that is not an actor (a demo's thread, a client). */
  public void emit(String source, String kind, Object detail) {
    if (enabled) {
      keep(source, kind, detail);
    }
  }

  /** A snapshot of the kept events, in the order they were kept. */
  public List<TraceEvent> events() {
    return new ArrayList<>(events);
  }

  /** How many events were not kept because {@code actorkit.trace.max-events} was reached. */
  public long dropped() {
    return dropped.get();
  }

  private void keep(String source, String kind, Object detail) {
    if (kept.incrementAndGet() > maxEvents) {
      kept.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    events.add(new TraceEvent(clock.now(), source, kind, String.valueOf(detail)));
  }

  /** {@code akka://kit/user/primitives/room} becomes {@code primitives/room}. */
  static String pathInKit(ActorRef<?> actor) {
    List<String> elements = new ArrayList<>();
    actor.path().getElements().forEach(elements::add);
    int from = !elements.isEmpty() && elements.get(0).equals("user") ? 1 : 0;
    return String.join("/", elements.subList(from, elements.size()));
  }

  /** Registers the tracer as an Akka extension; one instance per actor system. */
  public static final class Id extends ExtensionId<Tracer> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public Tracer createExtension(ActorSystem<?> system) {
      var config = system.settings().config();
      return new Tracer(
          KitClock.get(system),
          config.getBoolean("actorkit.trace.enabled"),
          config.getInt("actorkit.trace.max-events"));
    }
  }
}
