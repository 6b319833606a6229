package dev.actorkit.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.KitDispatcher;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Actor systems for benchmarks: the kit's configuration, with a guardian that spawns on request, so
 * a benchmark can put its actors on Akka's default dispatcher or on one of the kit's and compare
 * the two in the same run.
 */
public final class BenchSystems {

  private BenchSystems() {}

  /**
   * The coordination dispatcher as it was before the spinning executor (a fork-join pool of one
   * thread per core, throughput 100), kept to compare the two in the same run.
   */
  public static final String FORK_JOIN = "actorkit-bench.fork-join-coordination";

  private static final String FORK_JOIN_CONFIG =
      FORK_JOIN
          + " { type = Dispatcher, executor = fork-join-executor, throughput = 100,"
          + " fork-join-executor { parallelism-min = 1, parallelism-factor = 1.0,"
          + " parallelism-max = 64 } }";

  /**
   * Akka's own spinning pool (one queue per thread, actors pinned by hash; idle level 5 of 10),
   * measured beside the kit's spinning executor: the alternative the issue named.
   */
  public static final String AFFINITY = "actorkit-bench.affinity-coordination";

  private static final String AFFINITY_CONFIG =
      AFFINITY
          + " { type = Dispatcher, executor = affinity-pool-executor, throughput = 100,"
          + " affinity-pool-executor { parallelism-min = 1, parallelism-factor = 1.0,"
          + " parallelism-max = 64, idle-cpu-level = 5 } }";

  /**
   * The coordination dispatcher as it was before it went to one thread per two cores: the kit's
   * spinning executor with one thread per core, kept to compare the two in the same run.
   */
  public static final String PER_CORE = "actorkit-bench.per-core-coordination";

  private static final String PER_CORE_CONFIG =
      PER_CORE
          + " { type = Dispatcher, executor = \"dev.actorkit.core.dispatch.SpinningExecutorConfigurator\","
          + " throughput = 100, spinning-executor { parallelism-min = 1, parallelism-factor = 1.0,"
          + " parallelism-max = 64, spin = 50us } }";

  /** A system whose guardian answers {@link SpawnProtocol.Spawn}. */
  public static ActorSystem<SpawnProtocol.Command> start(String name) {
    return ActorSystem.create(
        SpawnProtocol.create(),
        name,
        ConfigFactory.parseString(
                FORK_JOIN_CONFIG + "\n" + AFFINITY_CONFIG + "\n" + PER_CORE_CONFIG)
            .withFallback(ConfigFactory.load()));
  }

  /**
   * {@code "default"} for Akka's default dispatcher, {@code "forkjoin"} for {@link #FORK_JOIN},
   * {@code "affinity"} for {@link #AFFINITY}, {@code "percore"} for {@link #PER_CORE}, or a kit
   * dispatcher's name in lower case.
   */
  public static Props dispatcher(String name) {
    if (name.equals("default")) {
      return DispatcherSelector.defaultDispatcher();
    }
    if (name.equals("forkjoin")) {
      return DispatcherSelector.fromConfig(FORK_JOIN);
    }
    if (name.equals("affinity")) {
      return DispatcherSelector.fromConfig(AFFINITY);
    }
    if (name.equals("percore")) {
      return DispatcherSelector.fromConfig(PER_CORE);
    }
    return KitDispatcher.valueOf(name.toUpperCase()).selector();
  }

  /** Spawns {@code behavior} under the guardian and waits for its reference. */
  public static <T> akka.actor.typed.ActorRef<T> spawn(
      ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior, String name, Props props) {
    return AskPattern.<SpawnProtocol.Command, akka.actor.typed.ActorRef<T>>ask(
            system,
            replyTo -> new SpawnProtocol.Spawn<>(behavior, name, props, replyTo),
            Duration.ofSeconds(10),
            system.scheduler())
        .toCompletableFuture()
        .join();
  }

  /** Terminates the system and waits for it. */
  public static void stop(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("actor system " + system.name() + " did not terminate", e);
    }
  }
}
