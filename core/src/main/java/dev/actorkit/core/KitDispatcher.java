package dev.actorkit.core;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
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
   * The dispatcher of {@code system} as an executor, for work that is not an actor (a barrier
   * action, a completed stage).
   */
  public Executor executor(ActorSystem<?> system) {
    return system.dispatchers().lookup(selector());
  }
}
