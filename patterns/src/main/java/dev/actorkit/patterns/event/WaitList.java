package dev.actorkit.patterns.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The waits of one primitive, in arrival order, indexed both by wait id and by who waits.
 *
 * <p>Adding a wait, removing one wait (its timer fired) and taking all of them (the event was set)
 * cost O(1) per wait; removing the waits of one waiter (it died) costs O(its waits). One waiter may
 * wait more than once; each wait is its own entry.
 *
 * @param <K> who waits (an {@code ActorRef} in the actors, anything in tests)
 * @param <A> what the owner attaches to a wait (the actors attach the wait's timer)
 */
public final class WaitList<K, A> {

  /**
   * One wait: its id, who waits, the story-time timeout it asked for, and the owner's attachment.
   */
  public record Entry<K, A>(long id, K who, Duration timeout, A attachment) {}

  private final LinkedHashMap<Long, Entry<K, A>> byId = new LinkedHashMap<>();
  private final Map<K, List<Long>> byWho = new HashMap<>();
  private long nextId = 1;

  /** Only the states of this package keep a wait list. */
  WaitList() {}

  /**
   * Queues a wait of {@code who} behind every other, under the next id (ids count from 1 and are
   * never reused), with the attachment built from that id. Returns the queued wait.
   */
  Entry<K, A> add(K who, Duration timeout, LongFunction<A> attach) {
    long id = nextId++;
    Entry<K, A> entry = new Entry<>(id, who, timeout, attach.apply(id));
    byId.put(id, entry);
    byWho.computeIfAbsent(who, w -> new ArrayList<>(1)).add(id);
    return entry;
  }

  /** Removes one wait; {@code null} if no wait has that id (it was already answered). */
  Entry<K, A> remove(long id) {
    Entry<K, A> entry = byId.remove(id);
    if (entry != null) {
      List<Long> ids = byWho.get(entry.who());
      ids.remove(Long.valueOf(id));
      if (ids.isEmpty()) {
        byWho.remove(entry.who());
      }
    }
    return entry;
  }

  /** Removes every wait of {@code who}, in arrival order. */
  List<Entry<K, A>> removeAll(K who) {
    List<Long> ids = byWho.remove(who);
    if (ids == null) {
      return List.of();
    }
    List<Entry<K, A>> removed = new ArrayList<>(ids.size());
    for (Long id : ids) {
      removed.add(byId.remove(id));
    }
    return removed;
  }

  /** Removes every wait, in arrival order. */
  List<Entry<K, A>> drain() {
    if (byId.isEmpty()) {
      return List.of();
    }
    List<Entry<K, A>> all = new ArrayList<>(byId.values());
    byId.clear();
    byWho.clear();
    return all;
  }

  boolean isWaiting(K who) {
    return byWho.containsKey(who);
  }

  int size() {
    return byId.size();
  }

  /** The waits in arrival order, a copy. */
  List<Entry<K, A>> snapshot() {
    return new ArrayList<>(byId.values());
  }
}
