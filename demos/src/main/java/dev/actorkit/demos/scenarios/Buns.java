package dev.actorkit.demos.scenarios;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the three buns scenarios share: the bun, the basket picture, and the tally of what was seen.
 */
final class Buns {

  private Buns() {}

  /** A bun: who baked it and its number in that baker's batch (both from 1). */
  record Bun(int baker, int seq) {
    @Override
    public String toString() {
      return "bun " + baker + "." + seq;
    }
  }

  /**
   * How many buns baker {@code baker} (from 1) of {@code bakers} bakes when they share {@code
   * items}.
   */
  static int share(int items, int bakers, int baker) {
    return items / bakers + (baker <= items % bakers ? 1 : 0);
  }

  /** {@code [●●●○○] 3/5} */
  static String basket(int level, int capacity) {
    StringBuilder picture = new StringBuilder("[");
    int shown = Math.min(capacity, 40);
    int full = capacity <= 40 ? level : Math.round(level * 40f / capacity);
    for (int i = 0; i < shown; i++) {
      picture.append(i < full ? '\u25cf' : '\u25cb');
    }
    return picture.append("] ").append(level).append('/').append(capacity).toString();
  }

  /** The figures every buns story reports, from what producers and consumers saw. */
  static Map<String, Object> tally(
      int bakers,
      long produced,
      Collection<List<Bun>> eatenByEachEater,
      int maxInBasket,
      int capacity) {
    List<Bun> all = new ArrayList<>();
    eatenByEachEater.forEach(all::addAll);
    Set<Bun> distinct = new HashSet<>(all);
    Map<String, Boolean> order = new LinkedHashMap<>();
    for (int baker = 1; baker <= bakers; baker++) {
      boolean kept = true;
      for (List<Bun> eaten : eatenByEachEater) {
        int last = 0;
        for (Bun bun : eaten) {
          if (bun.baker() == baker) {
            kept &= bun.seq() > last;
            last = bun.seq();
          }
        }
      }
      order.put("baker-" + baker, kept);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("produced", produced);
    figures.put("consumed", (long) all.size());
    figures.put("max_in_basket", maxInBasket);
    figures.put("order_preserved", order);
    figures.put("lost", produced - distinct.size());
    figures.put("duplicated", (long) all.size() - distinct.size());
    boolean ok =
        all.size() == produced
            && distinct.size() == produced
            && maxInBasket <= capacity
            && !order.containsValue(false);
    figures.put("ok", ok);
    return figures;
  }
}
