package dev.actorkit.core.trace;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.actorkit.core.KitClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

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
 *
 * <p><b>Participants.</b> An event names who it concerns ({@link TraceEvent#participant()}): the
 * requesting actor's name, or, for a plain-Java call made through a stand-in actor, the name of the
 * thread that made it ({@link #alias}), so a timeline shows {@code cook} rather than {@code
 * caller-3}.
 *
 * <p>A participant on another node of a cluster (a plain-Java caller in a child JVM) is named
 * {@code NAME@NODE}, so it never shares a lane with a local one of the same name. NAME is the
 * actor's own name, or {@code caller} for the kit's stand-ins and an ask's temporary actors there:
 * the threads they stand for are named on their node, not here, so all the plain-Java calls of one
 * node share its {@code caller@NODE} lane. NODE is what {@link #nameNodesBy} says, by default the
 * node's {@code host:port} ({@code dev.actorkit.cluster.ClusterNode} names a node by its {@code
 * node:LABEL} role).
 *
 * <p><b>Listeners</b> ({@link #listen}) see every event as it is emitted, kept or not, while they
 * are registered; the live console is one, and {@link #forwardTo} another tracer is another. While
 * neither keeping nor a listener is on, nothing is built.
 */
public final class Tracer implements Extension {

  private final KitClock clock;
  private final int maxEvents;
  private final ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger kept = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * At most this many aliases are kept (every plain-Java ask made while tracing adds one); past it
   * they are forgotten all at once, and the actors they named are shown by their own names.
   */
  static final int MAX_ALIASES = 10_000;

  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<Consumer<TraceEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile Function<Address, Optional<String>> nodeNames = address -> Optional.empty();
  private volatile boolean keeping;
  private volatile boolean enabled;

  private Tracer(KitClock clock, boolean enabled, int maxEvents) {
    this.clock = clock;
    this.keeping = enabled;
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

  /**
   * Whether emitting does anything now: events are being kept, or a listener is registered. An
   * emitter that has to work to build its detail checks this first.
   */
  public boolean enabled() {
    return enabled;
  }

  /** Starts keeping events. */
  public synchronized void start() {
    keeping = true;
    enabled = true;
  }

  /** Stops keeping events; those kept so far stay until {@link #clear()}. */
  public synchronized void stop() {
    keeping = false;
    enabled = !listeners.isEmpty();
  }

  /**
   * Hands every event emitted from now on to {@code listener}, until the returned handle is closed.
   * The listener runs on the emitting thread, which is often a pattern actor's: it must only hand
   * the event on (to a queue, say) and return, never block, and never throw.
   */
  public synchronized AutoCloseable listen(Consumer<TraceEvent> listener) {
    listeners.add(listener);
    enabled = true;
    return () -> {
      synchronized (this) {
        listeners.remove(listener);
        enabled = keeping || !listeners.isEmpty();
      }
    };
  }

  /**
   * Hands every event emitted here from now on to {@code target} too, as if emitted there (stamped
   * by its clock), until the returned handle is closed: one timeline for a story whose primitives
   * live in several kits of one JVM (a cluster node it starts, say). A cycle of forwards delivers
   * each event once to every tracer in it.
   */
  public AutoCloseable forwardTo(Tracer target) {
    if (target == this) {
      throw new IllegalArgumentException("a tracer cannot forward to itself");
    }
    return listen(
        event -> {
          // a cycle of forwards (A to B to A) hands an event to no tracer that has seen it
          Set<Tracer> seen = FORWARDING.get();
          boolean origin = seen.isEmpty();
          if (origin) {
            seen.add(this);
          }
          try {
            if (seen.add(target)) {
              try {
                target.emit(event.actor(), event.kind(), event.participant(), event.detail());
              } finally {
                seen.remove(target);
              }
            }
          } finally {
            if (origin) {
              seen.remove(this);
            }
          }
        });
  }

  /** The tracers that have seen the event this thread is forwarding now. */
  private static final ThreadLocal<Set<Tracer>> FORWARDING =
      ThreadLocal.withInitial(java.util.HashSet::new);

  /**
   * How to name the node of a participant that lives on another node: its label, or empty for its
   * {@code host:port}. Replaces the namer set before. It runs on the thread that asks for a
   * participant's name (a pattern actor's, while tracing or when a pattern names an owner in a
   * reply), so it must be quick and must not block; a namer that throws leaves the node named by
   * its address.
   */
  public void nameNodesBy(Function<Address, Optional<String>> namer) {
    this.nodeNames = Objects.requireNonNull(namer, "namer");
  }

  /**
   * From now on, names {@code actor} as {@code participant} in events that concern it (a stand-in
   * lent to the thread {@code participant}); does nothing while tracing is off.
   */
  public void alias(ActorRef<?> actor, String participant) {
    if (enabled && !participant.isBlank()) {
      if (aliases.size() >= MAX_ALIASES) {
        aliases
            .clear(); // a bound, not a cache policy: names made before this fall back to their own
      }
      aliases.put(aliasKey(actor.path()), participant);
    }
  }

  /** Forgets the alias of {@code actor} (a temporary actor whose call is over), if it had one. */
  public void unalias(ActorRef<?> actor) {
    if (!aliases.isEmpty()) {
      aliases.remove(aliasKey(actor.path()));
    }
  }

  /**
   * The participant name of {@code actor}: its alias, or its own name. A message adapter or a
   * stream stage's actor ({@code friend-1/$$a}) is named after the actor it belongs to, the nearest
   * element of its path that Akka did not make up, so a timeline never shows {@code $$a}; an ask's
   * temporary actor ({@code temp/bank$a}) is nobody in particular (empty) unless aliased.
   */
  public String participantName(ActorRef<?> actor) {
    akka.actor.ActorPath path = actor.path();
    Address node = path.address();
    if (node.hasGlobalScope()) {
      // another node's: the threads its stand-ins and asks stood for are named there, not here
      java.util.Iterator<String> elements = path.getElements().iterator();
      boolean userActor = elements.hasNext() && elements.next().equals("user");
      return (userActor ? ownerOf(path).name() : "caller") + "@" + nodeName(node);
    }
    String alias = aliases.get(aliasKey(path));
    if (alias != null) {
      return alias;
    }
    path = ownerOf(path);
    String name = path.name();
    if (name.indexOf('$') >= 0) {
      // an ask's temporary actor (temp/bank$a): it stands for nobody a timeline could name
      return aliases.getOrDefault(aliasKey(path), "");
    }
    return aliases.getOrDefault(aliasKey(path), name);
  }

  /** A remote node's label, or its host:port; a namer that fails names it by host:port. */
  private String nodeName(Address node) {
    try {
      Optional<String> label = nodeNames.apply(node);
      if (label.isPresent()) {
        return label.get();
      }
    } catch (RuntimeException broken) {
      // a namer's failure is its own: the node keeps its address
    }
    return node.getHost().orElse("") + ":" + node.getPort().map(String::valueOf).orElse("");
  }

  /**
   * The nearest element of {@code path} whose name Akka did not make up: a message adapter's or a
   * stream stage's actor ({@code friend-1/$$a}) belongs to its parent. It stops below the
   * guardians, so an ask's temporary actor ({@code temp/$a}) stays itself.
   */
  private static akka.actor.ActorPath ownerOf(akka.actor.ActorPath path) {
    while (path.name().startsWith("$") && path.parent().elements().size() >= 2) {
      path = path.parent();
    }
    return path;
  }

  /**
   * Names Akka makes up ({@code $$a}) repeat under different actors, so they are aliased by their
   * whole path; the kit's own names ({@code caller-3}) are unique, and cheaper to key by name.
   */
  private static String aliasKey(akka.actor.ActorPath path) {
    return path.name().startsWith("$") ? path.toStringWithoutAddress() : path.name();
  }

  /** Forgets every kept event, every alias and the count of dropped ones. */
  public void clear() {
    events.clear();
    aliases.clear();
    kept.set(0);
    dropped.set(0);
  }

  /** Records that {@code kind} happened in {@code actor}, concerning nobody in particular. */
  public void emit(ActorRef<?> actor, String kind, Object detail) {
    if (enabled) {
      keep(pathInKit(actor), kind, "", detail);
    }
  }

  /** Records that {@code kind} happened to {@code participant} in {@code actor}. */
  public void emit(ActorRef<?> actor, String kind, ActorRef<?> participant, Object detail) {
    if (enabled) {
      keep(pathInKit(actor), kind, participantName(participant), detail);
    }
  }

  /**
   * Records that {@code kind} happened to {@code participant} in {@code actor}, where the
   * participant is no actor (a worker JVM of a process pool, say).
   */
  public void emit(ActorRef<?> actor, String kind, String participant, Object detail) {
    if (enabled) {
      keep(pathInKit(actor), kind, participant, detail);
    }
  }

  /** Records an event for something that is not an actor (a demo's thread, a client). */
  public void emit(String source, String kind, Object detail) {
    if (enabled) {
      keep(source, kind, "", detail);
    }
  }

  /**
   * Records that {@code kind} happened to {@code participant} in {@code source}, something that is
   * not an actor: the threads half of a story uses {@code threads/NAME} ({@link
   * TraceEvent#THREADS}).
   */
  public void emit(String source, String kind, String participant, Object detail) {
    if (enabled) {
      keep(source, kind, participant, detail);
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

  private void keep(String source, String kind, String participant, Object detail) {
    TraceEvent event =
        new TraceEvent(clock.now(), source, kind, participant, String.valueOf(detail));
    for (Consumer<TraceEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException broken) {
        // a listener's failure is its own: the pattern that emitted goes on, as do the others
      }
    }
    if (!keeping) {
      return;
    }
    if (kept.incrementAndGet() > maxEvents) {
      kept.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    events.add(event);
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
