package dev.actorkit.patterns.deadlock;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds deadlocks among locks: a wait-for graph fed by the locks themselves, searched for cycles
 * once per detection interval.
 *
 * <p>A lock reports with {@link LockState} whenever something waits for it and whenever its holder
 * or waiters change while it is contended, and once more (with no waiters) when it stops being
 * contended; an uncontended acquire and release send nothing. Once per {@link Settings#interval()}
 * (story time) the detector searches the graph. A cycle is named as owners and locks in cycle order
 * — {@code [cook-1, pot, cook-2, knife]} reads "cook-1 waits for the pot, held by cook-2, who waits
 * for the knife, held by cook-1" — starting at the victim, told to every {@link Subscribe}r, and
 * broken by {@link Settings#policy()}: by default the wait that began last (the youngest) is failed
 * by sending its lock a {@link Break}, and the lock answers that waiter {@code DeadlockDetected}. A
 * cycle is therefore found within one interval of the last report that closed it.
 *
 * <p>The detector is a helper of the kit's {@code system} branch; see {@link
 * DeadlockDetectors#forKit(dev.actorkit.core.ActorKit)}. If it restarts it forgets the graph, and
 * contended locks re-report on their next change.
 */
public final class DeadlockDetector extends AbstractBehavior<DeadlockDetector.Command> {

  /** What the detector understands. */
  public sealed interface Command extends KitMessage {}

  /**
   * What {@code lock} looks like now: its holder ({@code null} if free), and its waiters in queue
   * order with the story time each wait began. No waiters means "not contended, forget me".
   */
  public record LockState(
      ActorRef<Break> lock, ActorRef<?> holder, List<ActorRef<?>> waiters, List<Duration> since)
      implements Command {
    public LockState {
      Objects.requireNonNull(lock, "lock");
      waiters = List.copyOf(waiters);
      since = List.copyOf(since);
    }
  }

  /** Tell {@code subscriber} of every cycle found from now on. */
  public record Subscribe(ActorRef<Found> subscriber) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** Sent to a lock: fail {@code owner}'s wait with a deadlock naming {@code cycle}. */
  public record Break(ActorRef<?> owner, List<String> cycle) implements KitMessage {
    public Break {
      cycle = List.copyOf(cycle);
    }
  }

  /**
   * Told to subscribers: a cycle (owners and locks in cycle order) and, if broken, whose wait
   * failed.
   */
  public record Found(List<String> cycle, String victimOwner, String victimLock)
      implements KitMessage {
    public Found {
      cycle = List.copyOf(cycle);
    }
  }

  /** How a cycle is broken. */
  public enum Policy {
    /** Fail the wait that began last (the default). */
    FAIL_YOUNGEST,
    /** Only report the cycle to subscribers and the log; nobody's wait fails. */
    REPORT_ONLY
  }

  /**
   * @param interval how often the graph is searched (story time)
   * @param policy how a found cycle is broken
   */
  public record Settings(Duration interval, Policy policy) {
    public Settings {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(policy, "policy");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "the detection interval must be positive, was " + interval);
      }
    }

    /** Search every 500 ms of story time; fail the youngest waiter. */
    public static Settings defaults() {
      return new Settings(Duration.ofMillis(500), Policy.FAIL_YOUNGEST);
    }

    public Settings withInterval(Duration interval) {
      return new Settings(interval, policy);
    }

    public Settings withPolicy(Policy policy) {
      return new Settings(interval, policy);
    }
  }

  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(
                      Tick.INSTANCE, KitClock.get(context.getSystem()).toReal(settings.interval()));
                  return new DeadlockDetector(context, settings);
                }));
  }

  private final Settings settings;
  private final WaitForGraph<ActorRef<Break>, ActorRef<?>> graph = new WaitForGraph<>();
  private final Set<ActorRef<Found>> subscribers = new HashSet<>();
  private final Set<List<String>> reported = new HashSet<>();
  private final Tracer tracer;

  private DeadlockDetector(ActorContext<Command> context, Settings settings) {
    super(context);
    this.settings = settings;
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LockState.class, this::onLockState)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onLockState(LockState state) {
    graph.update(state.lock(), state.holder(), state.waiters(), state.since());
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe subscribe) {
    subscribers.add(subscribe.subscriber());
    return this;
  }

  private Behavior<Command> onTick() {
    if (graph.contendedLocks() < 2) {
      reported.clear();
      return this;
    }
    for (WaitForGraph.Cycle<ActorRef<Break>, ActorRef<?>> cycle : graph.cycles()) {
      WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>> victim = cycle.youngest();
      List<String> names = namesFrom(cycle, victim);
      if (settings.policy() == Policy.FAIL_YOUNGEST) {
        traceCycle(cycle, victim); // before the break, so a timeline shows the cycle, then its end
        victim.lock().tell(new Break(victim.owner(), names));
        graph.removeWait(victim.lock(), victim.owner());
        report(names, nameOf(victim.owner()), nameOf(victim.lock()));
      } else if (reported.add(names)) {
        report(names, null, null);
        traceCycle(cycle, victim);
      }
    }
    return this;
  }

  private void report(List<String> names, String victimOwner, String victimLock) {
    getContext()
        .getLog()
        .info(
            "Deadlock: {}{}",
            String.join(" -> ", names),
            victimOwner == null
                ? ""
                : "; failing the wait of " + victimOwner + " for " + victimLock);
    Found found = new Found(names, victimOwner, victimLock);
    subscribers.forEach(subscriber -> subscriber.tell(found));
  }

  /**
   * Traces a cycle as {@code cycle}, for the victim, with owners and locks in cycle order and the
   * first named again at the end ({@code cook-1 -> pot -> cook-2 -> knife -> cook-1}): what a
   * timeline draws as the wait-for graph. Owners are named as every trace names participants (a
   * plain-Java caller by its thread).
   */
  private void traceCycle(
      WaitForGraph.Cycle<ActorRef<Break>, ActorRef<?>> cycle,
      WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>> victim) {
    if (!tracer.enabled()) {
      return;
    }
    List<WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>>> waits = cycle.waits();
    int from = waits.indexOf(victim);
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < waits.size(); i++) {
      WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>> wait = waits.get((from + i) % waits.size());
      names.append(tracer.participantName(wait.owner())).append(" -> ");
      names.append(nameOf(wait.lock())).append(" -> ");
    }
    names.append(tracer.participantName(victim.owner()));
    tracer.emit(getContext().getSelf(), "cycle", names);
  }

  /** Owners and locks in cycle order, starting at {@code first}'s owner. */
  private static List<String> namesFrom(
      WaitForGraph.Cycle<ActorRef<Break>, ActorRef<?>> cycle,
      WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>> first) {
    List<WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>>> waits = cycle.waits();
    int from = waits.indexOf(first);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < waits.size(); i++) {
      WaitForGraph.Wait<ActorRef<Break>, ActorRef<?>> wait = waits.get((from + i) % waits.size());
      names.add(nameOf(wait.owner()));
      names.add(nameOf(wait.lock()));
    }
    return names;
  }

  /**
   * An actor's own name; a lock reports through a message adapter, whose name is derived from the
   * lock's, so the lock's name is its parent path element.
   */
  static String nameOf(ActorRef<?> ref) {
    String name = ref.path().name();
    if (name.startsWith("$")) {
      return ref.path().parent().name();
    }
    return name;
  }
}
