package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The three item orders against one obvious model: a list kept in leaving order. Random adds, polls
 * and give-backs (of items polled earlier), with priorities drawn from a few values so that ties
 * are common.
 */
class ItemOrderProperties {

  /** An item: its priority, and a serial that tells equal-priority items apart. */
  record Item(int priority, int serial) {}

  enum Kind {
    ADD,
    POLL,
    GIVE_BACK
  }

  record Op(Kind kind, int priority, int count) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 3))
        .as(Op::new)
        .list()
        .ofMaxSize(80);
  }

  @Property(tries = 300)
  void fifoMatchesTheModel(@ForAll("ops") List<Op> ops) {
    check(ops, ItemOrder.fifo(), "fifo");
  }

  @Property(tries = 300)
  void lifoMatchesTheModel(@ForAll("ops") List<Op> ops) {
    check(ops, ItemOrder.lifo(), "lifo");
  }

  @Property(tries = 300)
  void priorityMatchesTheModel(@ForAll("ops") List<Op> ops) {
    check(ops, ItemOrder.priority(Comparator.comparingInt(Item::priority)), "priority");
  }

  private static void check(List<Op> ops, ItemOrder<Item> order, String kind) {
    List<Item> model = new ArrayList<>(); // index 0 leaves next
    List<Item> taken = new ArrayList<>();
    int serial = 0;
    for (Op op : ops) {
      switch (op.kind()) {
        case ADD -> {
          Item item = new Item(op.priority(), serial++);
          order.add(item);
          switch (kind) {
            case "fifo" -> model.add(item);
            case "lifo" -> model.add(0, item);
            default -> {
              int at =
                  0; // after every item of equal or smaller priority: ties leave in the order added
              while (at < model.size() && model.get(at).priority() <= item.priority()) {
                at++;
              }
              model.add(at, item);
            }
          }
        }
        case POLL -> {
          if (!model.isEmpty()) {
            Item next = order.poll();
            assertThat(next).isEqualTo(model.remove(0));
            taken.add(next);
          }
        }
        case GIVE_BACK -> {
          int n = Math.min(op.count(), taken.size());
          List<Item> back = new ArrayList<>(taken.subList(0, n)); // oldest first
          taken.subList(0, n).clear();
          order.putBack(back);
          if (kind.equals("priority")) {
            // Each leaves before its equals, the oldest given back first.
            for (int i = back.size() - 1; i >= 0; i--) {
              Item item = back.get(i);
              int at = 0;
              while (at < model.size() && model.get(at).priority() < item.priority()) {
                at++;
              }
              model.add(at, item);
            }
          } else {
            model.addAll(0, back);
          }
        }
      }
      assertThat(order.size()).isEqualTo(model.size());
    }
    while (!model.isEmpty()) {
      assertThat(order.poll()).isEqualTo(model.remove(0));
    }
    assertThat(order.isEmpty()).isTrue();
  }
}
