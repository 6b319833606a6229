package dev.actorkit.core;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import dev.actorkit.core.dispatch.SpinningExecutorConfigurator;
import java.util.concurrent.Executor;

/**
 * The kit's three dispatchers, each defined in {@code reference.conf} under {@code
 * actorkit.dispatchers}.
 */
public enum KitDispatcher {

  /** Short, non-blocking handlers: every primitive and every pool coordinator. */
  COORDINATION("actorkit.dispatchers.coordination"),

  /** Blocking user work (I/O, sleeps, JDBC) and nothing else: a fixed thread pool. */
  BLOCKING("actorkit.dispatchers.blocking"),

  /** CPU-bound user work: one thread per core. */
  COMPUTE("actorkit.dispatchers.compute");

  private final String configPath;

  KitDispatcher(String configPath) {
    this.configPath = configPath;
  }

  /** The dispatcher's id: its path in the configuration. */
  public String id() {
    return configPath;
  }

  /** The selector that puts a spawned actor on this dispatcher. */
  public DispatcherSelector selector() {
    return DispatcherSelector.fromConfig(configPath);
  }

  /**
   * What a dispatcher is made of, read from the configuration: its executor, how many threads it
   * runs at most on this machine, and its throughput (messages an actor handles before it gives its
   * thread back).
   */
  public record Summary(String id, String executor, int threads, int throughput) {}

  /** This dispatcher as {@code system}'s configuration makes it on this machine. */
  public Summary summary(ActorSystem<?> system) {
    return summaryOf(configPath, system.settings().config());
  }

  /**
   * The dispatcher at {@code path} of {@code config} (for example Akka's {@code
   * akka.actor.default-dispatcher}): a fork-join pool, and the kit's spinning executor (named
   * {@code spinning-executor} here), run the core count times its factor, kept between its minimum
   * and maximum; a thread pool its fixed size (or its core size).
   */
  public static Summary summaryOf(String path, com.typesafe.config.Config config) {
    com.typesafe.config.Config dispatcher = config.getConfig(path);
    String executor = dispatcher.getString("executor");
    int cores = Runtime.getRuntime().availableProcessors();
    int threads;
    if (executor.equals("thread-pool-executor")) {
      com.typesafe.config.Config pool = dispatcher.getConfig("thread-pool-executor");
      threads =
          pool.hasPath("fixed-pool-size") && !pool.getString("fixed-pool-size").equals("off")
              ? pool.getInt("fixed-pool-size")
              : Math.max(
                  pool.getInt("core-pool-size-min"),
                  Math.min(
                      pool.getInt("core-pool-size-max"),
                      (int) Math.ceil(cores * pool.getDouble("core-pool-size-factor"))));
    } else if (executor.equals(SpinningExecutorConfigurator.class.getName())) {
      executor = SpinningExecutorConfigurator.SECTION;
      threads =
          SpinningExecutorConfigurator.threads(
              dispatcher.getConfig(SpinningExecutorConfigurator.SECTION), cores);
    } else {
      com.typesafe.config.Config pool = dispatcher.getConfig("fork-join-executor");
      threads =
          Math.max(
              pool.getInt("parallelism-min"),
              Math.min(
                  pool.getInt("parallelism-max"),
                  (int) Math.ceil(cores * pool.getDouble("parallelism-factor"))));
    }
    return new Summary(path, executor, threads, dispatcher.getInt("throughput"));
  }

  /**
   * The dispatcher of {@code system} as an executor, for work that is not an actor (a barrier
   * action, a completed stage).
   */
  public Executor executor(ActorSystem<?> system) {
    return system.dispatchers().lookup(selector());
  }
}
