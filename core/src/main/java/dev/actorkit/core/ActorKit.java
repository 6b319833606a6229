package dev.actorkit.core;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.console.KitConsole;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One actor system with actorkit's guardian, its three branches and their dispatchers: the runtime
 * every pattern is spawned into.
 *
 * <pre>
 * actorkit (guardian)
 * ├── primitives   actorkit.dispatchers.coordination   children resumed on failure
 * ├── pools        actorkit.dispatchers.coordination   children restarted with backoff
 * └── system       actorkit.dispatchers.coordination   children restarted
 * </pre>
 *
 * <p>Actors are spawned by name under a branch; a name already taken is refused with a {@link
 * dev.actorkit.core.errors.RejectedException}. An actor is either <em>non-daemon</em> (the default,
 * as for Python threads) or a <em>daemon</em> (every primitive). {@link #close()} ends the kit in
 * order, so that work still queued can finish with the primitives it uses:
 *
 * <ol>
 *   <li>no more spawns; the non-daemon actors spawned with {@link #spawnFinishing} are told to
 *       finish (a worker pool runs its queued tasks), and the kit waits up to {@code
 *       actorkit.shutdown.non-daemon-timeout} for every non-daemon actor to stop by itself, as
 *       Python's interpreter waits for non-daemon threads — meanwhile the daemons (mutexes,
 *       semaphores, buffers...) still run and answer;
 *   <li>if that bound passes, the non-daemons left are told their abort message (a pool interrupts
 *       its running tasks and drops its queue) or stopped, and the kit waits up to {@code
 *       actorkit.kit-timeout} more for them;
 *   <li>then the daemons stop, every client call is refused with {@link
 *       dev.actorkit.core.errors.ClosedException} from then on, and the actor system terminates
 *       through Akka's coordinated shutdown;
 *   <li>{@code close()} returns once the system has terminated and the kit's threads have ended (a
 *       task that ignores its interrupt keeps its thread until it returns; the kit logs it).
 * </ol>
 *
 * <p>The same order runs when the system is terminated any other way, for example by the JVM's
 * shutdown hook.
 *
 * <p>Durations handed to the kit are story time on its {@link KitClock}. All methods are
 * thread-safe. The blocking ones are for plain Java; never call them from inside an actor.
 */
public final class ActorKit implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ActorKit.class);

  /**
   * Margin added to Akka's phase timeout so that the kit's own bounds always end the wait first.
   */
  private static final Duration PHASE_MARGIN = Duration.ofSeconds(5);

  /**
   * How long close() waits for the kit's threads that are running a task to end once the system has
   * terminated: idle pool threads end within milliseconds of their pool's shutdown; a thread still
   * running a task after this runs code that ignores its interrupt (or belongs to another actor
   * system of the same name; {@link KitThreads} says how they are told apart).
   */
  private static final Duration THREADS_END = Duration.ofSeconds(2);

  /** How long the daemons have to stop once the non-daemons are gone (real time). */
  private static final Duration DAEMON_STOP = Duration.ofSeconds(5);

  private static final AtomicLong STANDALONE_JOINS = new AtomicLong();

  private final ActorSystem<Guardian.Command> system;
  private final KitSettings settings;
  private final Map<Branch, ActorRef<BranchActor.Command>> branches;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicLong helperIds = new AtomicLong();
  private final List<KitConsole> consoles = new CopyOnWriteArrayList<>();

  private ActorKit(ActorSystem<Guardian.Command> system, KitSettings settings) {
    this.system = system;
    this.settings = settings;
    try {
      this.branches =
          Ask.await(
                  Ask.ask(
                      system, Guardian.GetBranches::new, settings.kitTimeout(), system.scheduler()),
                  settings.kitTimeout(),
                  "the kit's branches to start")
              .refs();
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
    CoordinatedShutdown.get(system)
        .addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "actorkit-drain", this::drain);
  }

  /** A kit named {@code actorkit} with the configuration found on the classpath. */
  public static ActorKit create() {
    return create("actorkit");
  }

  /** A kit with this actor system name and the configuration found on the classpath. */
  public static ActorKit create(String name) {
    return create(name, ConfigFactory.empty());
  }

  /**
   * A kit with this actor system name; {@code overrides} take precedence over the configuration
   * found on the classpath ({@code application.conf}, then every {@code reference.conf}).
   */
  public static ActorKit create(String name, Config overrides) {
    Config config = overrides.withFallback(ConfigFactory.load()).resolve();
    KitSettings settings = KitSettings.fromConfig(config);
    Duration phaseTimeout =
        settings
            .nonDaemonTimeout()
            .plus(settings.kitTimeout())
            .plus(DAEMON_STOP)
            .plus(PHASE_MARGIN);
    Config withPhase =
        ConfigFactory.parseString(
                "akka.coordinated-shutdown.phases.before-service-unbind.timeout = "
                    + phaseTimeout.toMillis()
                    + "ms")
            .withFallback(config);
    return new ActorKit(ActorSystem.create(Guardian.create(), name, withPhase), settings);
  }

  /**
   * A kit that is an Akka Cluster node: {@code akka.actor.provider = cluster} layered over {@code
   * config}, which takes precedence over everything else. Between the two and the classpath's
   * configuration sits the block {@code actorkit.cluster.akka} if the classpath has one (the
   * cluster module's {@code reference.conf} does: remoting on 127.0.0.1, Jackson CBOR for {@code
   * KitMessage}, the split brain resolver), and {@code actorkit.cluster.coordination} over the
   * coordination dispatcher's settings (one thread per core, as Artery's streams run on it). The
   * actor system is named by {@code actorkit.cluster.system-name} ({@code actorkit} if unset);
   * nodes of one cluster must share it. Joining (seed nodes or a programmatic join) is the cluster
   * module's business.
   *
   * @throws IllegalStateException if akka-cluster-typed is not on the classpath
   */
  public static ActorKit clustered(Config config) {
    try {
      Class.forName("akka.cluster.typed.Cluster", false, ActorKit.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "ActorKit.clustered needs Akka Cluster on the classpath: depend on dev.actorkit:actorkit-cluster "
              + "(or com.typesafe.akka:akka-cluster-typed_2.13)",
          e);
    }
    Config defaults = ConfigFactory.load();
    Config clusterDefaults =
        defaults.hasPath("actorkit.cluster.akka")
            ? defaults.getConfig("actorkit.cluster.akka").atKey("akka")
            : ConfigFactory.empty();
    if (defaults.hasPath("actorkit.cluster.coordination")) {
      clusterDefaults =
          clusterDefaults.withFallback(
              defaults
                  .getConfig("actorkit.cluster.coordination")
                  .atPath("actorkit.dispatchers.coordination"));
    }
    Config layered =
        config
            .withFallback(ConfigFactory.parseString("akka.actor.provider = cluster"))
            .withFallback(clusterDefaults);
    Config resolved = layered.withFallback(defaults).resolve();
    String name =
        resolved.hasPath("actorkit.cluster.system-name")
            ? resolved.getString("actorkit.cluster.system-name")
            : "actorkit";
    return create(name, layered);
  }

  /**
   * A configuration that sets only the clock's speed, to pass to {@link #create(String, Config)}.
   */
  public static Config speed(double speed) {
    return ConfigFactory.parseMap(Map.of("actorkit.clock.speed", speed));
  }

  /** The actor system underneath, for Akka APIs the kit does not wrap. */
  public ActorSystem<?> system() {
    return system;
  }

  /** The kit's clock: story time and the speed factor. */
  public KitClock clock() {
    return KitClock.get(system);
  }

  /** The kit's tracer, off until started. */
  public Tracer tracer() {
    return Tracer.get(system);
  }

  /**
   * Python's {@code threading.Timer(interval, action)}: runs {@code action} on the blocking
   * dispatcher {@code interval} (story time) after {@link Timer#start()}, unless cancelled first.
   */
  public Timer timer(Duration interval, Runnable action) {
    return new Timer(system, interval, action);
  }

  /** {@code asyncio}'s combinators (gather, wait, wait_for...), timed on this kit's clock. */
  public Futures futures() {
    return Futures.of(system);
  }

  /** The settings this kit was started with. */
  public KitSettings settings() {
    return settings;
  }

  /**
   * Spawns a non-daemon actor under {@code branch} with the branch's dispatcher and supervision,
   * and waits for it.
   */
  public <T> ActorRef<T> spawn(Branch branch, String name, Behavior<T> behavior) {
    return spawn(branch, name, behavior, SpawnOptions.defaults());
  }

  /**
   * Spawns an actor under {@code branch} and waits until it exists.
   *
   * @throws NullPointerException if the branch, the behaviour or the options are null
   * @throws dev.actorkit.core.errors.RejectedException if the name is blank, not a valid actor
   *     name, or already taken under that branch
   * @throws ClosedException if the kit is closing or closed
   */
  public <T> ActorRef<T> spawn(
      Branch branch, String name, Behavior<T> behavior, SpawnOptions options) {
    return Ask.await(
        spawnAsync(branch, name, behavior, options), settings.kitTimeout(), "spawning " + name);
  }

  /**
   * Spawns a non-daemon actor that serves until it is told to finish: when the kit closes, {@code
   * finishMessage} is told to it, and {@link #close()} waits (bounded) for it to finish its work
   * and stop, as for any non-daemon. A worker pool is spawned this way, so its queued tasks
   * complete at close, as Python's executors complete theirs at interpreter exit.
   */
  public <T> ActorRef<T> spawnFinishing(
      Branch branch, String name, Behavior<T> behavior, T finishMessage) {
    return spawnFinishing(branch, name, behavior, finishMessage, null);
  }

  /**
   * {@link #spawnFinishing(Branch, String, Behavior, Object)}, and if the close's bound passes with
   * the actor still running, {@code abortMessage} is told to it (a pool interrupts its running
   * tasks); with a null one it is stopped then.
   */
  public <T> ActorRef<T> spawnFinishing(
      Branch branch, String name, Behavior<T> behavior, T finishMessage, T abortMessage) {
    if (finishMessage == null) {
      throw new IllegalArgumentException(
          "a finish message is required; use spawn() for an actor that needs none");
    }
    return Ask.await(
        spawnAsync(branch, name, behavior, SpawnOptions.defaults(), finishMessage, abortMessage),
        settings.kitTimeout(),
        "spawning " + name);
  }

  /**
   * Spawns an actor under {@code branch}; the stage fails with a {@code RejectedException} as
   * {@link #spawn} throws.
   */
  public <T> CompletionStage<ActorRef<T>> spawnAsync(
      Branch branch, String name, Behavior<T> behavior, SpawnOptions options) {
    return spawnAsync(branch, name, behavior, options, null, null);
  }

  private <T> CompletionStage<ActorRef<T>> spawnAsync(
      Branch branch,
      String name,
      Behavior<T> behavior,
      SpawnOptions options,
      T finishMessage,
      T abortMessage) {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(behavior, "behavior");
    Objects.requireNonNull(options, "options");
    if (closing.get()) {
      return CompletableFuture.failedFuture(
          new ClosedException("the kit " + system.name() + " is closed"));
    }
    return Ask.askFor(
            BranchActor.Spawned.class,
            branches.get(branch),
            (ActorRef<BranchActor.SpawnReply> replyTo) ->
                new BranchActor.Spawn<>(
                    name, behavior, options, finishMessage, abortMessage, replyTo),
            settings.kitTimeout(),
            system.scheduler())
        .thenApply(ActorKit::<T>narrow)
        .exceptionallyCompose(
            failure ->
                closing.get()
                        && Ask.unwrap(failure) instanceof dev.actorkit.core.errors.RejectedException
                    ? CompletableFuture.failedFuture(
                        new ClosedException("the kit " + system.name() + " is closed"))
                    : CompletableFuture.failedFuture(Ask.unwrap(failure)));
  }

  /**
   * Spawns a child of the actor whose {@code context} this is, on {@code dispatcher} and supervised
   * by {@code supervision}, and enters it in the kit's tree. The child stops with its parent. Call
   * it only from inside the parent, as {@code ActorContext.spawn}.
   */
  public static <T> ActorRef<T> spawnChild(
      ActorContext<?> context,
      String name,
      Behavior<T> behavior,
      KitDispatcher dispatcher,
      Supervision supervision) {
    ActorDirectory directory = ActorDirectory.get(context.getSystem());
    ActorRef<T> child =
        context.spawn(
            directory.forgetOnStop(supervision.applyTo(behavior)), name, dispatcher.selector());
    directory.register(child, dispatcher.id(), supervision, Lifetime.CHILD);
    return child;
  }

  /**
   * Waits until {@code actor} stops, at most {@code timeout} (story time), as {@code
   * Thread.join(Duration)} does.
   *
   * @return true if the actor has stopped, false if it still runs when the timeout passes
   */
  public boolean join(ActorRef<?> actor, Duration timeout) {
    try {
      Ask.await(
          joinAsync(actor, timeout),
          clock().toReal(timeout).plus(settings.kitTimeout()),
          "joining " + actor);
      return true;
    } catch (TimedOutException e) {
      return false;
    }
  }

  /**
   * Completes when {@code actor} stops; fails with {@link TimedOutException} if it still runs after
   * {@code timeout} (story time). An actor that has already stopped completes it at once.
   */
  public CompletionStage<Done> joinAsync(ActorRef<?> actor, Duration timeout) {
    CompletableFuture<Done> stopped = new CompletableFuture<>();
    String name = "join-" + actor.path().name() + "-" + helperIds.incrementAndGet();
    return spawnAsync(
            Branch.SYSTEM, name, Joiner.create(actor, timeout, stopped), SpawnOptions.daemon())
        .thenCompose(watcher -> stopped);
  }

  /**
   * Completes when {@code actor} stops, or fails with {@link TimedOutException} after {@code
   * timeout} (story time): {@link #joinAsync} for code that has an actor system but no kit. The
   * watcher is a short-lived system actor.
   */
  public static CompletionStage<Done> joinAsync(
      ActorSystem<?> system, ActorRef<?> actor, Duration timeout) {
    CompletableFuture<Done> stopped = new CompletableFuture<>();
    String name = "join-" + actor.path().name() + "-" + STANDALONE_JOINS.incrementAndGet();
    system.systemActorOf(
        Joiner.create(actor, timeout, stopped), name, akka.actor.typed.Props.empty());
    return stopped;
  }

  /** A snapshot of the kit's live actor hierarchy, with each actor's dispatcher and supervision. */
  public ActorNode tree() {
    return ActorDirectory.get(system).tree(system.path(), system.name());
  }

  /**
   * Serves the kit's live console on 127.0.0.1, port {@code port} (0: any free port): a read-only
   * page of the actor tree, every primitive's holders and waiters, levels and the wait-for graph,
   * updated as events happen. It listens to the tracer only while it is watched: while a page has
   * its event stream open or reads its {@code /state}, and for a grace period after either (a
   * {@code /state} request alone starts listening too). So it costs the kit nothing while nobody
   * watches; see {@link KitConsole} for its endpoints and rules. Closing the kit closes it; closing
   * the returned handle closes it sooner and frees the port, and the kit forgets it.
   *
   * @throws ClosedException if the kit is closing or closed
   * @throws java.io.UncheckedIOException if the port cannot be had
   */
  public KitConsole console(int port) {
    if (closing.get()) {
      throw new ClosedException("the kit " + system.name() + " is closed");
    }
    KitConsole console = KitConsole.start(this, port);
    consoles.add(console);
    // at once if it closed already (the system terminated meanwhile)
    console.whenClosed().thenRun(() -> consoles.remove(console));
    return console;
  }

  /**
   * Closes the kit in the order the class comment gives: non-daemons finish (bounded), then the
   * daemons stop, then the actor system terminates; returns once it has, and the kit's threads have
   * ended. Safe to call more than once and from several threads.
   */
  @Override
  public void close() {
    if (closing.compareAndSet(false, true)) {
      CoordinatedShutdown.get(system).run(KitClosed.INSTANCE, Optional.empty());
    }
    Duration bound =
        settings
            .nonDaemonTimeout()
            .plus(settings.kitTimeout())
            .plus(DAEMON_STOP)
            .plus(PHASE_MARGIN)
            .plus(settings.kitTimeout());
    try {
      Ask.await(
          system.getWhenTerminated(), bound, "the actor system " + system.name() + " to terminate");
    } catch (TimedOutException e) {
      log.warn(
          "The actor system {} did not terminate within {}; giving up waiting for it",
          system.name(),
          bound);
      consoles.forEach(KitConsole::close);
      return;
    }
    // After the system has terminated, so that an open page sees the close's last events.
    consoles.forEach(KitConsole::close);
    KitThreads.awaitEnded(system.name(), THREADS_END);
  }

  /**
   * The coordinated-shutdown task: the non-daemons finish while the daemons still run (bounded,
   * then aborted), then the daemons stop and every client is closed.
   */
  private CompletionStage<Done> drain() {
    closing.set(true);
    Duration bound = settings.nonDaemonTimeout();
    return everyBranch(BranchActor.Finish::new, bound)
        .exceptionallyCompose(
            notYet -> {
              log.warn(
                  "Non-daemon actors still running after {}, aborting them: {}",
                  bound,
                  running(Lifetime.NON_DAEMON));
              return everyBranch(BranchActor.Abort::new, settings.kitTimeout());
            })
        .exceptionallyCompose(
            stillRunning -> {
              log.warn(
                  "Non-daemon actors still running after their abort: {}",
                  running(Lifetime.NON_DAEMON));
              return CompletableFuture.completedFuture(null);
            })
        .thenCompose(finished -> everyBranch(BranchActor.StopDaemons::new, DAEMON_STOP))
        .handle(
            (stopped, failure) -> {
              if (failure != null) {
                log.warn(
                    "Daemon actors still running after {}: {}",
                    DAEMON_STOP,
                    running(Lifetime.DAEMON));
              }
              Callers.get(system).markClosed();
              return Done.getInstance();
            });
  }

  /**
   * Sends one close step to every branch; completes once all have answered, or fails at {@code
   * bound}.
   */
  private CompletableFuture<Void> everyBranch(
      akka.japi.function.Function<ActorRef<BranchActor.Done>, BranchActor.Command> step,
      Duration bound) {
    List<CompletableFuture<BranchActor.Done>> answers = new ArrayList<>();
    for (ActorRef<BranchActor.Command> branch : branches.values()) {
      answers.add(Ask.ask(branch, step, bound, system.scheduler()).toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
  }

  private List<String> running(Lifetime lifetime) {
    return ActorDirectory.get(system).entries(lifetime).stream()
        .map(entry -> entry.ref().path().toStringWithoutAddress())
        .sorted()
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static <T> ActorRef<T> narrow(BranchActor.Spawned spawned) {
    return (ActorRef<T>) spawned.ref();
  }

  private enum KitClosed implements CoordinatedShutdown.Reason {
    INSTANCE;

    @Override
    public String toString() {
      return "ActorKit.close()";
    }
  }
}
