package dev.actorkit.patterns.deadlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pure wait-for graph the {@link DeadlockDetector} keeps: for every lock that is contended, its
 * holder and its waiters (each with the story time its wait began). An owner that waits for a lock
 * has an edge to that lock's holder; a cycle of such edges is a deadlock.
 *
 * @param <L> how a lock is identified
 * @param <O> how an owner is identified
 */
public final class WaitForGraph<L, O> {

  /** One wait: {@code owner} has waited for {@code lock} since {@code since}. */
  public record Wait<L, O>(O owner, L lock, Duration since) {}

  /**
   * A cycle: {@code waits.get(i).owner()} waits for {@code waits.get(i).lock()}, which is held by
   * {@code waits.get(i + 1).owner()} (the last one's lock is held by the first owner).
   */
  public record Cycle<L, O>(List<Wait<L, O>> waits) {
    public Cycle {
      waits = List.copyOf(waits);
    }

    /** The wait that began last: the default victim. */
    public Wait<L, O> youngest() {
      Wait<L, O> youngest = waits.get(0);
      for (Wait<L, O> wait : waits) {
        if (wait.since().compareTo(youngest.since()) > 0) {
          youngest = wait;
        }
      }
      return youngest;
    }
  }

  private record LockState<O>(O holder, List<O> waiters, List<Duration> since) {}

  private final Map<L, LockState<O>> locks = new LinkedHashMap<>();

  /** Replaces what is known of {@code lock}; a lock with nobody waiting is forgotten. */
  public void update(L lock, O holder, List<O> waiters, List<Duration> since) {
    if (waiters.size() != since.size()) {
      throw new IllegalArgumentException("one start time per waiter");
    }
    if (waiters.isEmpty()) {
      locks.remove(lock);
    } else {
      locks.put(lock, new LockState<>(holder, List.copyOf(waiters), List.copyOf(since)));
    }
  }

  /** Forgets that {@code owner} waits for {@code lock} (the wait was broken). */
  public void removeWait(L lock, O owner) {
    LockState<O> state = locks.get(lock);
    if (state == null) {
      return;
    }
    List<O> waiters = new ArrayList<>();
    List<Duration> since = new ArrayList<>();
    for (int i = 0; i < state.waiters().size(); i++) {
      if (!state.waiters().get(i).equals(owner)) {
        waiters.add(state.waiters().get(i));
        since.add(state.since().get(i));
      }
    }
    update(lock, state.holder(), waiters, since);
  }

  /** How many locks have waiters. */
  public int contendedLocks() {
    return locks.size();
  }

  /**
   * Every cycle, each found once: after a cycle is found its youngest wait is taken out of the
   * search, so breaking the returned cycles' youngest waits leaves no cycle.
   */
  public List<Cycle<L, O>> cycles() {
    Map<O, List<Wait<L, O>>> waitsOf = new HashMap<>();
    Map<L, O> holderOf = new HashMap<>();
    for (Map.Entry<L, LockState<O>> entry : locks.entrySet()) {
      LockState<O> state = entry.getValue();
      if (state.holder() != null) {
        holderOf.put(entry.getKey(), state.holder());
      }
      for (int i = 0; i < state.waiters().size(); i++) {
        O waiter = state.waiters().get(i);
        waitsOf
            .computeIfAbsent(waiter, w -> new ArrayList<>())
            .add(new Wait<>(waiter, entry.getKey(), state.since().get(i)));
      }
    }
    List<Cycle<L, O>> found = new ArrayList<>();
    Set<O> cleared = new HashSet<>();
    for (O start : new ArrayList<>(waitsOf.keySet())) {
      Cycle<L, O> cycle;
      while (!cleared.contains(start) && (cycle = findFrom(start, waitsOf, holderOf)) != null) {
        found.add(cycle);
        Wait<L, O> victim = cycle.youngest();
        waitsOf.get(victim.owner()).remove(victim);
      }
      cleared.add(start);
    }
    return found;
  }

  /** Depth-first search for a path of waits from {@code start} back to it. */
  private Cycle<L, O> findFrom(O start, Map<O, List<Wait<L, O>>> waitsOf, Map<L, O> holderOf) {
    List<Wait<L, O>> path = new ArrayList<>();
    Set<O> visited = new HashSet<>();
    return search(start, start, path, visited, waitsOf, holderOf) ? rotateToStart(path) : null;
  }

  private boolean search(
      O start,
      O at,
      List<Wait<L, O>> path,
      Set<O> visited,
      Map<O, List<Wait<L, O>>> waitsOf,
      Map<L, O> holderOf) {
    visited.add(at);
    for (Wait<L, O> wait : waitsOf.getOrDefault(at, List.of())) {
      O next = holderOf.get(wait.lock());
      if (next == null) {
        continue;
      }
      path.add(wait);
      if (Objects.equals(next, start)) {
        return true;
      }
      if (!visited.contains(next) && search(start, next, path, visited, waitsOf, holderOf)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  private Cycle<L, O> rotateToStart(List<Wait<L, O>> path) {
    return new Cycle<>(path);
  }
}
