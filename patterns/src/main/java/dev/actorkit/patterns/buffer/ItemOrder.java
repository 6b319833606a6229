package dev.actorkit.patterns.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The order in which a buffer's items leave it: Python's {@code Queue} (first in, first out),
 * {@code LifoQueue} (last in, first out) and {@code PriorityQueue} (smallest first, by a
 * comparator; equal ones first in, first out). Items given back by a consumer that went away (see
 * {@link BufferState#gone}) leave next, ahead of their equals.
 *
 * <p>Not thread-safe: one buffer owns it.
 */
abstract class ItemOrder<T> {

  /** Adds a newly admitted item. */
  abstract void add(T item);

  /** Takes the item that leaves next; the store must not be empty. */
  abstract T poll();

  /** Gives back {@code items} (oldest first) so that they leave next, oldest first. */
  abstract void putBack(List<T> items);

  abstract int size();

  /** Drops every item; returns how many there were. */
  abstract int clear();

  /** The items, first to leave first (a copy). */
  abstract List<T> inLeavingOrder();

  boolean isEmpty() {
    return size() == 0;
  }

  static <T> ItemOrder<T> fifo() {
    return new Deque<>(false);
  }

  static <T> ItemOrder<T> lifo() {
    return new Deque<>(true);
  }

  static <T> ItemOrder<T> priority(Comparator<? super T> comparator) {
    return new Priority<>(Objects.requireNonNull(comparator, "comparator"));
  }

  /**
   * FIFO or LIFO over one deque: items are added at the tail and leave from the head or the tail.
   */
  private static final class Deque<T> extends ItemOrder<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final boolean lastInFirstOut;

    Deque(boolean lastInFirstOut) {
      this.lastInFirstOut = lastInFirstOut;
    }

    @Override
    void add(T item) {
      items.addLast(item);
    }

    @Override
    T poll() {
      return lastInFirstOut ? items.pollLast() : items.pollFirst();
    }

    @Override
    void putBack(List<T> back) {
      for (int i = back.size() - 1; i >= 0; i--) {
        if (lastInFirstOut) {
          items.addLast(back.get(i));
        } else {
          items.addFirst(back.get(i));
        }
      }
    }

    @Override
    int size() {
      return items.size();
    }

    @Override
    int clear() {
      int dropped = items.size();
      items.clear();
      return dropped;
    }

    @Override
    List<T> inLeavingOrder() {
      List<T> copy = new ArrayList<>(items);
      if (lastInFirstOut) {
        Collections.reverse(copy);
      }
      return copy;
    }
  }

  /** Smallest first; ties leave in the order they were added, and given-back items before them. */
  private static final class Priority<T> extends ItemOrder<T> {
    private record Entry<T>(T item, long seq) {}

    private final PriorityQueue<Entry<T>> items;
    private long nextSeq;

    /** Decreasing, so that an item given back sorts before every equal one added. */
    private long nextBackSeq = -1;

    Priority(Comparator<? super T> comparator) {
      Comparator<Entry<T>> byItem = (a, b) -> comparator.compare(a.item(), b.item());
      this.items = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
    }

    @Override
    void add(T item) {
      items.add(new Entry<>(item, nextSeq++));
    }

    @Override
    T poll() {
      return items.poll().item();
    }

    @Override
    void putBack(List<T> back) {
      // The oldest given back must leave first among its equals: give the newest the largest seq.
      long base = nextBackSeq - back.size() + 1;
      for (int i = 0; i < back.size(); i++) {
        items.add(new Entry<>(back.get(i), base + i));
      }
      nextBackSeq = base - 1;
    }

    @Override
    int size() {
      return items.size();
    }

    @Override
    int clear() {
      int dropped = items.size();
      items.clear();
      return dropped;
    }

    @Override
    List<T> inLeavingOrder() {
      List<Entry<T>> sorted = new ArrayList<>(items);
      sorted.sort(items.comparator());
      List<T> copy = new ArrayList<>(sorted.size());
      sorted.forEach(entry -> copy.add(entry.item()));
      return copy;
    }
  }
}
