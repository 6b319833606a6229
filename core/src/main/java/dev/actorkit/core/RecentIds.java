package dev.actorkit.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * What each of the last {@code capacity} request ids got: the memory behind every actor that
 * answers a retried request with its first answer instead of applying it twice (an account, the
 * shared map and list, a bank's finished transfers).
 *
 * <p><b>What is remembered.</b> {@link #put} of a new id takes the next place in a ring of {@code
 * capacity} places, in the order ids were put; when every place has been used, the next new id
 * takes the place of the id put {@code capacity} ids before it, which is forgotten. Putting an id
 * that is remembered replaces its value and keeps its place. {@link #remove} forgets an id at once
 * and leaves its place empty until the ring comes round to it, so the ids remembered are always
 * among the last {@code capacity} put.
 *
 * <p><b>Values tell their ids.</b> Each value carries the id it was put under ({@code idOf}: an
 * answer carries its request id, or a small record wraps the two), so the ring keeps one reference
 * a place, not two: on G1, the default collector (of JDK 17, which the kit is measured on), storing
 * a reference into an array that has outlived a collection costs a memory fence, and an account
 * stores one on every deposit. {@link #put} refuses a value that tells another id.
 *
 * <p><b>Cost.</b> {@link #get}, {@link #put} and {@link #remove} take expected O(1) time and
 * allocate nothing once the ring has grown to its size: the ring is two arrays (the value and the
 * id's hash, 8 bytes a place with compressed references), and an open-addressing index of at least
 * twice as many {@code long}s, each the id's hash beside its place, so a lookup reads only the
 * index until the hashes match. Forgetting an id moves the entries after it back in the index (no
 * tombstones, so lookups never slow down). The ring and index start small and double as ids come,
 * up to {@code capacity}: an actor that never sees a request carries a few hundred bytes. Against a
 * {@code LinkedHashMap} with an eviction rule, a new id costs no entry object and no links to fix:
 * measured with an account's deposits in benchmarks/README.md, "The account's own work".
 *
 * <p><b>Ids whose hashes collide.</b> Ids are hashed by {@link String#hashCode}, which a string
 * caches, and whose collisions are easy to make ("Aa" and "BB" hash alike, and so do all strings
 * made of such blocks). Colliding ids would share one run of the index and make every lookup walk
 * it; so once an insertion walks past more than 64 taken slots, the index is rebuilt on a hash of
 * the ids' characters under a random seed, computed on every lookup from then on (a multiply a
 * character: a UUID's 36 characters cost some tens of nanoseconds), and lookups stay short. At most
 * 2^29 ids can be remembered at once; a larger {@code capacity} is accepted, and the ring refuses
 * to grow past that with an {@link IllegalStateException}.
 *
 * <p>Not thread-safe: it belongs to one actor.
 *
 * @param <V> what an id got (never null)
 */
public final class RecentIds<V> {

  private static final int FIRST_PLACES = 16;

  /** Fibonacci hashing: spreads ids whose hashes differ in a few low bits (a counter's). */
  private static final int SPREAD = 0x9E3779B9;

  /**
   * An insertion that walks more slots than this found ids whose hashes collide (see the class
   * comment): the index is rebuilt on a seeded hash. With distinct hashes and the index at most
   * half full, such a run practically never happens.
   */
  private static final int LONG_RUN = 64;

  /** The most places an index of {@code long}s can serve (it has at least twice as many slots). */
  private static final int MOST_PLACES = 1 << 29;

  private final int capacity;
  private final Function<? super V, String> idOf;

  private Object[] values;
  private int[] hashes;

  /** The place the next new id takes: after the ring is full, the oldest id's. */
  private int next;

  private boolean wrapped;
  private int size;

  /** Per slot: the hash in the high half, the place plus one in the low half; 0 is empty. */
  private long[] index;

  private int shift;

  /**
   * 0 while ids are hashed by {@link String#hashCode} (which a string caches); else the random seed
   * of the hash of their characters used since their {@code hashCode}s collided.
   */
  private int seed;

  /** Remembers up to {@code capacity} ids (at least 1), each with a value that tells its id. */
  public RecentIds(int capacity, Function<? super V, String> idOf) {
    if (capacity < 1) {
      throw new IllegalArgumentException("RecentIds remembers at least 1 id, got " + capacity);
    }
    this.capacity = capacity;
    this.idOf = Objects.requireNonNull(idOf, "idOf");
    allocate(Math.min(capacity, FIRST_PLACES));
  }

  /** What {@code id} got, or null if it is not remembered. */
  public V get(String id) {
    int place = find(id);
    return place < 0 ? null : value(place);
  }

  /**
   * Remembers that {@code id} got {@code value}: a new id takes the next place (forgetting the
   * oldest if the ring is full), a remembered one keeps its place.
   *
   * @throws IllegalArgumentException if {@code value} tells another id (nothing is changed)
   * @throws NullPointerException if {@code id} or {@code value} is null
   */
  public void put(String id, V value) {
    Objects.requireNonNull(value, "value");
    if (!id.equals(idOf.apply(value))) {
      throw new IllegalArgumentException(
          "the value " + value + " tells the id " + idOf.apply(value) + ", not " + id);
    }
    int place = find(id);
    if (place >= 0) {
      values[place] = value;
      return;
    }
    if (next == values.length) {
      if (values.length < capacity) {
        allocate(Math.min(capacity, values.length * 2));
      } else {
        next = 0;
        wrapped = true;
      }
    }
    if (wrapped && values[next] != null) {
      forgetPlace(next);
    }
    int hash = hashOf(id);
    values[next] = value;
    hashes[next] = hash;
    int walked = insert(hash, next);
    size++;
    next++;
    if (walked > LONG_RUN && seed == 0) {
      reseed();
    }
  }

  /** Hashes every remembered id by its characters under a random seed, and rebuilds the index. */
  private void reseed() {
    seed = ThreadLocalRandom.current().nextInt() | 1;
    for (int place = 0; place < placesUsed(); place++) {
      if (values[place] != null) {
        hashes[place] = hashOf(idOf.apply(value(place)));
      }
    }
    reindex();
  }

  /** Forgets {@code id} now; returns what it got, or null if it was not remembered. */
  public V remove(String id) {
    int place = find(id);
    if (place < 0) {
      return null;
    }
    V value = value(place);
    forgetPlace(place);
    return value;
  }

  /** How many ids are remembered now. */
  public int size() {
    return size;
  }

  /** How many ids it remembers at most. */
  public int capacity() {
    return capacity;
  }

  /** True once the ids' own hashes collided and the index was rebuilt on a seeded hash. */
  boolean seeded() {
    return seed != 0;
  }

  @SuppressWarnings("unchecked")
  private V value(int place) {
    return (V) values[place];
  }

  private int hashOf(String id) {
    if (seed == 0) {
      return id.hashCode();
    }
    int hash = seed; // FNV-1a over the characters, from the seed
    for (int i = 0, n = id.length(); i < n; i++) {
      hash = (hash ^ id.charAt(i)) * 0x01000193;
    }
    return hash ^ (hash >>> 15);
  }

  private int find(String id) {
    int hash = hashOf(id);
    for (int slot = home(hash); ; slot = (slot + 1) & (index.length - 1)) {
      long entry = index[slot];
      if (entry == 0) {
        return -1;
      }
      if ((int) (entry >>> 32) == hash) {
        int place = (int) entry - 1;
        if (id.equals(idOf.apply(value(place)))) {
          return place;
        }
      }
    }
  }

  private int home(int hash) {
    return (hash * SPREAD) >>> shift;
  }

  /** Puts {@code place} in the index; returns how many taken slots it walked past. */
  private int insert(int hash, int place) {
    int slot = home(hash);
    int walked = 0;
    while (index[slot] != 0) {
      slot = (slot + 1) & (index.length - 1);
      walked++;
    }
    index[slot] = ((long) hash << 32) | (place + 1);
    return walked;
  }

  /**
   * Empties {@code place} and its index slot, moving later entries of its run back (no tombstones).
   */
  private void forgetPlace(int place) {
    int mask = index.length - 1;
    int hole = home(hashes[place]);
    while ((int) index[hole] != place + 1) {
      hole = (hole + 1) & mask;
    }
    for (int slot = (hole + 1) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
      int slotHome = home((int) (index[slot] >>> 32));
      // the entry may move to the hole when the hole lies on its way from home to where it is
      if (((slot - slotHome) & mask) >= ((slot - hole) & mask)) {
        index[hole] = index[slot];
        hole = slot;
      }
    }
    index[hole] = 0;
    values[place] = null;
    size--;
  }

  /** Grows the ring to {@code places} (it has not wrapped yet) and rebuilds the index. */
  private void allocate(int places) {
    if (places > MOST_PLACES) {
      throw new IllegalStateException(
          "RecentIds cannot remember more than " + MOST_PLACES + " ids at once");
    }
    values = values == null ? new Object[places] : Arrays.copyOf(values, places);
    hashes = hashes == null ? new int[places] : Arrays.copyOf(hashes, places);
    int slots = Integer.highestOneBit(places * 2 - 1) * 2; // a power of two, at least 2 * places
    index = new long[slots];
    shift = Integer.numberOfLeadingZeros(slots) + 1;
    reindex();
  }

  /** How many places the ring has used: all of them once it has gone round. */
  private int placesUsed() {
    return wrapped ? values.length : next;
  }

  /** Fills the index afresh from the places in use. */
  private void reindex() {
    Arrays.fill(index, 0);
    for (int place = 0; place < placesUsed(); place++) {
      if (values[place] != null) {
        insert(hashes[place], place);
      }
    }
  }
}
