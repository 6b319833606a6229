package dev.actorkit.core.errors;

import java.util.List;

/**
 * The deadlock detector found a cycle in the wait-for graph and broke it by failing this caller's
 * wait. The cycle lists owners and locks in the order they wait on each other.
 */
public class DeadlockDetectedException extends KitException {

  private final List<String> cycle;

  public DeadlockDetectedException(List<String> cycle) {
    super("deadlock detected: " + String.join(" -> ", cycle));
    this.cycle = List.copyOf(cycle);
  }

  /** Owners and locks in cycle order. */
  public List<String> cycle() {
    return cycle;
  }
}
