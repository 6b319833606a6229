package dev.actorkit.patterns.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link WaitForGraph} on random lock tables (each owner waits for at most one lock, as an owner's
 * requests go one at a time): it finds a cycle exactly when a plain depth-first search over
 * owner-to-owner edges does, every cycle it names is real, and failing each cycle's youngest wait
 * leaves no cycle.
 */
class WaitForGraphPropertiesTest {

  /**
   * Lock {@code lock} is held by {@code holder} (or free when -1); {@code waiter} waits for it
   * since {@code since}.
   */
  record Row(int lock, int holder, int waiter, int since) {}

  @Provide
  Arbitrary<List<Row>> tables() {
    Arbitrary<Row> row =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(-1, 5),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1000))
            .as(Row::new);
    return row.list().ofMaxSize(12);
  }

  @Property(tries = 500)
  void findsExactlyTheDeadlocksAndBreakingThemLeavesNone(@ForAll("tables") List<Row> rows) {
    Map<Integer, Integer> holderOf = new HashMap<>();
    Map<Integer, Integer> waitsFor = new HashMap<>();
    Map<Integer, Integer> since = new HashMap<>();
    for (Row row : rows) {
      holderOf.putIfAbsent(row.lock(), row.holder());
      int holder = holderOf.get(row.lock());
      if (row.waiter() != holder && !waitsFor.containsKey(row.waiter())) {
        waitsFor.put(row.waiter(), row.lock());
        since.put(row.waiter(), row.since());
      }
    }
    WaitForGraph<String, String> graph = new WaitForGraph<>();
    for (Map.Entry<Integer, Integer> lock : holderOf.entrySet()) {
      List<String> waiters = new ArrayList<>();
      List<Duration> starts = new ArrayList<>();
      waitsFor.forEach(
          (owner, wanted) -> {
            if (wanted.equals(lock.getKey())) {
              waiters.add("o" + owner);
              starts.add(Duration.ofMillis(since.get(owner)));
            }
          });
      graph.update(
          "l" + lock.getKey(), lock.getValue() < 0 ? null : "o" + lock.getValue(), waiters, starts);
    }

    List<WaitForGraph.Cycle<String, String>> cycles = graph.cycles();
    assertThat(!cycles.isEmpty()).isEqualTo(hasCycle(waitsFor, holderOf));
    for (WaitForGraph.Cycle<String, String> cycle : cycles) {
      List<WaitForGraph.Wait<String, String>> waits = cycle.waits();
      for (int i = 0; i < waits.size(); i++) {
        WaitForGraph.Wait<String, String> wait = waits.get(i);
        String nextOwner = waits.get((i + 1) % waits.size()).owner();
        assertThat(wait.lock())
            .isEqualTo("l" + waitsFor.get(Integer.parseInt(wait.owner().substring(1))));
        assertThat(nextOwner)
            .isEqualTo("o" + holderOf.get(Integer.parseInt(wait.lock().substring(1))));
      }
      WaitForGraph.Wait<String, String> youngest = cycle.youngest();
      waitsFor.remove(Integer.parseInt(youngest.owner().substring(1)));
      graph.removeWait(youngest.lock(), youngest.owner());
    }
    assertThat(hasCycle(waitsFor, holderOf)).isFalse();
    assertThat(graph.cycles()).isEmpty();
  }

  /** Each owner has at most one outgoing edge: follow it from every owner and look for a repeat. */
  private static boolean hasCycle(Map<Integer, Integer> waitsFor, Map<Integer, Integer> holderOf) {
    for (Integer start : waitsFor.keySet()) {
      Set<Integer> seen = new HashSet<>();
      Integer at = start;
      while (at != null && seen.add(at)) {
        Integer lock = waitsFor.get(at);
        Integer holder = lock == null ? null : holderOf.get(lock);
        at = holder == null || holder < 0 ? null : holder;
      }
      if (at != null) {
        return true;
      }
    }
    return false;
  }
}
