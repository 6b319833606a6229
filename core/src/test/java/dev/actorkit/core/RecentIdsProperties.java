package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link RecentIds} against a model of its contract: a list of places in the order ids were put (an
 * id removed leaves its place empty), of which only the last {@code capacity} count. Ids come from
 * a small set, some sharing a hash ("Aa" and "BB"), so repeats, collisions, removals and the moves
 * a removal makes in the index are common.
 */
class RecentIdsProperties {

  /** What an id got, telling its id as an answer tells its request's. */
  record Entry(String id, int value) {}

  /** {@code kind} 0–5: put, 6–7: remove, 8–9: get. */
  record Op(int kind, int id, int value) {}

  /** Pairs of ids with equal {@code hashCode}s ("Aa" and "BB" hash alike), and plain ones. */
  static String id(int n) {
    int pair = n / 3;
    return switch (n % 3) {
      case 0 -> "Aa".repeat(pair % 4 + 1) + pair;
      case 1 -> "BB".repeat(pair % 4 + 1) + pair;
      default -> "id-" + n;
    };
  }

  /**
   * 256 ids with one {@code hashCode}: eight blocks, each "Aa" or "BB" by a bit of {@code n}
   * ("AaAa" and "BBAa" hash alike, and so on), so more than 64 of them fill one run of the index.
   */
  static String colliding(int n) {
    StringBuilder id = new StringBuilder();
    for (int bit = 0; bit < 8; bit++) {
      id.append((n >> bit & 1) == 0 ? "Aa" : "BB");
    }
    return id.toString();
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 60),
            Arbitraries.integers().between(0, 1000))
        .as(Op::new)
        .list()
        .ofMaxSize(400);
  }

  @Provide
  Arbitrary<List<Op>> manyIds() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 1500),
            Arbitraries.integers().between(0, 1000))
        .as(Op::new)
        .list()
        .ofMinSize(1000)
        .ofMaxSize(4000);
  }

  @Property(tries = 300)
  void remembersExactlyTheIdsAmongTheLastCapacityPut(
      @ForAll @IntRange(min = 1, max = 40) int capacity, @ForAll("ops") List<Op> ops) {
    check(capacity, ops, 60, RecentIdsProperties::id);
  }

  /** Rings of hundreds of places, which grow several times before they go round. */
  @Property(tries = 40)
  void remembersExactlyTheLastCapacityInLargerRings(
      @ForAll @IntRange(min = 200, max = 700) int capacity, @ForAll("manyIds") List<Op> ops) {
    check(capacity, ops, 1500, RecentIdsProperties::id);
  }

  /** Ids that all share one {@code hashCode}, often more than 64 of them remembered at once. */
  @Property(tries = 60)
  void remembersExactlyTheLastCapacityWhenEveryHashCollides(
      @ForAll @IntRange(min = 1, max = 200) int capacity, @ForAll("collidingIds") List<Op> ops) {
    check(capacity, ops, 255, RecentIdsProperties::colliding);
  }

  @Provide
  Arbitrary<List<Op>> collidingIds() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(0, 1000))
        .as(Op::new)
        .list()
        .ofMinSize(200)
        .ofMaxSize(1500);
  }

  @Example
  void collidingHashesAreRehashedOnceTheyMakeALongRun() {
    RecentIds<Entry> recent = new RecentIds<>(300, Entry::id);
    for (int n = 0; n < 64; n++) {
      recent.put(colliding(n), new Entry(colliding(n), n));
    }
    assertThat(recent.seeded()).isFalse();
    for (int n = 64; n < 256; n++) {
      recent.put(colliding(n), new Entry(colliding(n), n));
    }
    assertThat(recent.seeded()).isTrue();
    for (int n = 0; n < 256; n++) {
      assertThat(recent.get(colliding(n))).isEqualTo(new Entry(colliding(n), n));
    }
  }

  private static void check(int capacity, List<Op> ops, int lastId, IntFunction<String> ids) {
    RecentIds<Entry> recent = new RecentIds<>(capacity, Entry::id);
    List<String> places = new ArrayList<>();
    Map<String, Entry> values = new HashMap<>();
    for (Op op : ops) {
      String id = ids.apply(op.id());
      if (op.kind() <= 5) {
        Entry entry = new Entry(id, op.value());
        recent.put(id, entry);
        if (!values.containsKey(id)) {
          places.add(id);
          if (places.size() > capacity) {
            String oldest = places.remove(0);
            if (oldest != null) {
              values.remove(oldest);
            }
          }
        }
        values.put(id, entry);
      } else if (op.kind() <= 7) {
        assertThat(recent.remove(id)).isEqualTo(values.remove(id));
        int place = places.indexOf(id);
        if (place >= 0) {
          places.set(place, null);
        }
      } else {
        assertThat(recent.get(id)).isEqualTo(values.get(id));
      }
      assertThat(recent.size()).isEqualTo(values.size());
    }
    for (int n = 0; n <= lastId; n++) {
      assertThat(recent.get(ids.apply(n))).isEqualTo(values.get(ids.apply(n)));
    }
  }

  @Example
  void aWindowOfTenThousandForgetsTheOldestAsItGrowsAndWraps() {
    RecentIds<Entry> recent = new RecentIds<>(10_000, Entry::id);
    for (int i = 0; i < 25_000; i++) {
      recent.put("0-" + i, new Entry("0-" + i, i));
    }
    assertThat(recent.size()).isEqualTo(10_000);
    assertThat(recent.get("0-14999")).isNull();
    assertThat(recent.get("0-15000")).isEqualTo(new Entry("0-15000", 15_000));
    assertThat(recent.get("0-24999")).isEqualTo(new Entry("0-24999", 24_999));
  }

  @Example
  void refusesWhatItCannotRemember() {
    assertThatThrownBy(() -> new RecentIds<Entry>(0, Entry::id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    RecentIds<Entry> recent = new RecentIds<>(3, Entry::id);
    assertThatThrownBy(() -> recent.put("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> recent.put(null, new Entry(null, 1)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> recent.put("a", new Entry("b", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a");
    assertThat(recent.size()).isZero();
  }
}
