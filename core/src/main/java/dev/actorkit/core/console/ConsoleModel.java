package dev.actorkit.core.console;

import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the console knows, folded from trace events in the order it is given them: per primitive its
 * holders, its waiters in queue order and its last level; the wait-for graph drawn from them; the
 * cycles the deadlock detector reported. Pure and single-threaded: the console's own thread is the
 * only one that touches it.
 *
 * <p>The rules, read from {@link TraceKind} and applied per primitive ({@link TraceEvent#actor()}):
 *
 * <ul>
 *   <li>{@link TraceKind#WAITING} appends the participant to the waiters, unless it already waits
 *       there;
 *   <li>{@link TraceKind#GRANTED} removes it from the waiters and makes it a holder, since the
 *       event's time, with the token read from a detail {@code token N}; a grant to a name that
 *       holds already counts one more grant and keeps the first time and token. An emitter grants
 *       one participant once until it holds nothing (more permits, a reentrant hold are other
 *       kinds), but one name may stand for several participants: two stand-ins lent to one thread
 *       (two concurrent {@code acquire()} calls from {@code main}) are both {@code main};
 *   <li>{@link TraceKind#ENDS_HOLDING} ({@code released}, {@code revoked}) takes one grant back:
 *       the emitter sends one per grant, when that participant holds nothing any more, so the
 *       holder is removed with its last grant; one that is not a holder (granted before the model
 *       was live) changes nothing;
 *   <li>{@link TraceKind#ENDS_WAITING} removes the waiter; a {@code deadlock} event whose detail is
 *       a list of names ({@code [cook-1, pot, cook-2, knife]}, as the deadlock detector writes it)
 *       is also kept as a detected cycle;
 *   <li>{@link TraceKind#LEVEL} sets the level to the detail.
 * </ul>
 *
 * Events without a participant change no holder or waiter. Every event is also kept among the last
 * {@value #RECENT} events.
 *
 * <p>The wait-for graph has an edge from each waiter to each holder of the primitive it waits for.
 * An edge is <em>definite</em> when its primitive has exactly one holder (the waiter can go on only
 * when that one lets go, as with a mutex); a cycle of definite edges is a deadlock, the case the
 * deadlock detector breaks, and the model marks it. A waiter for a primitive with several holders
 * may be let in by any of them, so a cycle through such a primitive is drawn but not marked.
 * Participants are nodes by name: a name that is both a thread of a story's threads half and an
 * actor of its actors half is one node.
 *
 * <p>At most {@value #MAX_PRIMITIVES} primitives are kept; past that the one touched longest ago
 * with no holder and no waiter is forgotten first.
 */
final class ConsoleModel {

  /** How many primitives the model keeps at most. */
  static final int MAX_PRIMITIVES = 1000;

  /** How many recent events the model keeps for the page's log. */
  static final int RECENT = 100;

  /** How many detected deadlocks the model keeps. */
  static final int DETECTED = 10;

  private static final Pattern TOKEN = Pattern.compile("\\btoken\\s+(-?\\d+)");

  /**
   * One holder of a primitive: who, its fencing token (or null), since when, how many grants it
   * holds under that name (each taken back by one release).
   */
  record Holder(String participant, Long token, Duration since, int grants) {}

  /** One waiter of a primitive, in queue order: who and since when. */
  record Waiter(String participant, Duration since) {}

  /** A cycle the deadlock detector reported: when, from which actor, names in cycle order. */
  record Detected(Duration at, String by, List<String> cycle) {}

  /** One edge of the wait-for graph: {@code from} waits for {@code via}, held by {@code to}. */
  record Edge(String from, String to, String via, boolean definite, boolean cycle) {}

  /** One primitive as the model knows it. */
  static final class Primitive {
    final String actor;
    final Map<String, Holder> holders = new LinkedHashMap<>();
    final List<Waiter> waiters = new ArrayList<>();
    String level;
    Duration levelAt;
    String lastKind;
    Duration lastAt;
    long events;
    long touched;

    Primitive(String actor) {
      this.actor = actor;
    }

    boolean idle() {
      return holders.isEmpty() && waiters.isEmpty();
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("actor", actor);
      json.put("threads", actor.startsWith(TraceEvent.THREADS));
      List<Object> holding = new ArrayList<>();
      for (Holder holder : holders.values()) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("participant", holder.participant());
        h.put("token", holder.token());
        h.put("since", holder.since());
        h.put("grants", holder.grants());
        holding.add(h);
      }
      json.put("holders", holding);
      List<Object> waiting = new ArrayList<>();
      for (Waiter waiter : waiters) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("participant", waiter.participant());
        w.put("since", waiter.since());
        waiting.add(w);
      }
      json.put("waiters", waiting);
      json.put("level", levelValue(level));
      json.put("levelAt", levelAt);
      json.put("lastKind", lastKind);
      json.put("lastAt", lastAt);
      json.put("events", events);
      return json;
    }
  }

  private final Duration liveFrom;
  private final Map<String, Primitive> primitives = new LinkedHashMap<>();
  private final Deque<TraceEvent> recent = new ArrayDeque<>();
  private final Deque<Detected> detected = new ArrayDeque<>();
  private long folded;
  private long touches;

  /** An empty model that hears events from story time {@code liveFrom} on. */
  ConsoleModel(Duration liveFrom) {
    this.liveFrom = liveFrom;
  }

  /** Story time from which the model has heard every event (bar those the console dropped). */
  Duration liveFrom() {
    return liveFrom;
  }

  /** How many events were folded in. */
  long folded() {
    return folded;
  }

  /**
   * Folds {@code event} in.
   *
   * @return the primitive it touched
   */
  Primitive apply(TraceEvent event) {
    folded++;
    recent.addLast(event);
    if (recent.size() > RECENT) {
      recent.removeFirst();
    }
    Primitive primitive = primitive(event.actor());
    primitive.events++;
    primitive.lastKind = event.kind();
    primitive.lastAt = event.at();
    primitive.touched = ++touches;
    String kind = event.kind();
    String who = event.participant();
    if (kind.equals(TraceKind.DEADLOCK)) {
      List<String> cycle = namesIn(event.detail());
      if (cycle.size() >= 2) {
        detected.addLast(new Detected(event.at(), event.actor(), cycle));
        if (detected.size() > DETECTED) {
          detected.removeFirst();
        }
      }
    }
    if (kind.equals(TraceKind.LEVEL)) {
      primitive.level = event.detail();
      primitive.levelAt = event.at();
    } else if (who.isEmpty()) {
      return primitive;
    } else if (kind.equals(TraceKind.WAITING)) {
      if (indexOfWaiter(primitive, who) < 0) {
        primitive.waiters.add(new Waiter(who, event.at()));
      }
    } else if (kind.equals(TraceKind.GRANTED)) {
      removeWaiter(primitive, who);
      Long token = tokenIn(event.detail());
      Holder before = primitive.holders.get(who);
      primitive.holders.put(
          who,
          before == null
              ? new Holder(who, token, event.at(), 1)
              : new Holder(who, before.token(), before.since(), before.grants() + 1));
    } else if (TraceKind.ENDS_HOLDING.contains(kind)) {
      Holder before = primitive.holders.get(who);
      if (before != null && before.grants() > 1) {
        primitive.holders.put(
            who, new Holder(who, before.token(), before.since(), before.grants() - 1));
      } else {
        primitive.holders.remove(who);
      }
    } else if (TraceKind.ENDS_WAITING.contains(kind)) {
      removeWaiter(primitive, who);
    }
    return primitive;
  }

  /** The primitive of {@code actor}, or null if the model has not heard of it. */
  Primitive find(String actor) {
    return primitives.get(actor);
  }

  /** Whether the model still keeps {@code primitive} (it may have been forgotten for room). */
  boolean keeps(Primitive primitive) {
    return primitives.get(primitive.actor) == primitive;
  }

  /** Every primitive, in the order they were first heard of. */
  List<Primitive> primitives() {
    return List.copyOf(primitives.values());
  }

  /** The last events, oldest first. */
  List<TraceEvent> recent() {
    return List.copyOf(recent);
  }

  /** The cycles the deadlock detector reported, oldest first. */
  List<Detected> detected() {
    return List.copyOf(detected);
  }

  /** The wait-for graph now: an edge from each waiter to each holder, cycles marked. */
  List<Edge> edges() {
    List<Edge> drawn = new ArrayList<>();
    for (Primitive primitive : primitives.values()) {
      boolean definite = primitive.holders.size() == 1;
      for (Waiter waiter : primitive.waiters) {
        for (String holder : primitive.holders.keySet()) {
          drawn.add(new Edge(waiter.participant(), holder, primitive.actor, definite, false));
        }
      }
    }
    Map<String, Integer> componentOf = new HashMap<>();
    List<List<String>> cycles = components(drawn.stream().filter(Edge::definite).toList());
    for (int i = 0; i < cycles.size(); i++) {
      for (String node : cycles.get(i)) {
        componentOf.put(node, i);
      }
    }
    List<Edge> marked = new ArrayList<>(drawn.size());
    for (Edge edge : drawn) {
      Integer component = componentOf.get(edge.from());
      boolean cycle =
          edge.definite() && component != null && component.equals(componentOf.get(edge.to()));
      marked.add(new Edge(edge.from(), edge.to(), edge.via(), edge.definite(), cycle));
    }
    return marked;
  }

  /** The graph as JSON: nodes, edges and the deadlocks found in it. */
  Map<String, Object> graphJson() {
    List<Edge> edges = edges();
    Set<String> nodes = new LinkedHashSet<>();
    List<Object> edgeJson = new ArrayList<>();
    for (Edge edge : edges) {
      nodes.add(edge.from());
      nodes.add(edge.to());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("from", edge.from());
      e.put("to", edge.to());
      e.put("via", edge.via());
      e.put("definite", edge.definite());
      e.put("cycle", edge.cycle());
      edgeJson.add(e);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("nodes", new ArrayList<>(nodes));
    json.put("edges", edgeJson);
    json.put("cycles", components(edges.stream().filter(Edge::definite).toList()));
    return json;
  }

  /** The detected deadlocks as JSON. */
  List<Object> detectedJson() {
    List<Object> json = new ArrayList<>();
    for (Detected found : detected) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("at", found.at());
      d.put("by", found.by());
      d.put("cycle", found.cycle());
      json.add(d);
    }
    return json;
  }

  /** The recent events as JSON, oldest first. */
  List<Object> recentJson() {
    List<Object> json = new ArrayList<>();
    for (TraceEvent event : recent) {
      json.add(eventJson(event));
    }
    return json;
  }

  /** One event as JSON. */
  static Map<String, Object> eventJson(TraceEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("at", event.at());
    json.put("actor", event.actor());
    json.put("kind", event.kind());
    json.put("participant", event.participant());
    json.put("detail", event.detail());
    return json;
  }

  private Primitive primitive(String actor) {
    Primitive primitive = primitives.get(actor);
    if (primitive == null) {
      if (primitives.size() >= MAX_PRIMITIVES) {
        forgetOne();
      }
      primitive = new Primitive(actor);
      primitives.put(actor, primitive);
    }
    return primitive;
  }

  /**
   * Forgets the idle primitive touched longest ago, or if none is idle the one touched longest ago.
   */
  private void forgetOne() {
    Primitive oldestIdle = null;
    Primitive oldest = null;
    for (Primitive candidate : primitives.values()) {
      if (oldest == null || candidate.touched < oldest.touched) {
        oldest = candidate;
      }
      if (candidate.idle() && (oldestIdle == null || candidate.touched < oldestIdle.touched)) {
        oldestIdle = candidate;
      }
    }
    Primitive victim = oldestIdle != null ? oldestIdle : oldest;
    if (victim != null) {
      primitives.remove(victim.actor);
    }
  }

  private static int indexOfWaiter(Primitive primitive, String who) {
    for (int i = 0; i < primitive.waiters.size(); i++) {
      if (primitive.waiters.get(i).participant().equals(who)) {
        return i;
      }
    }
    return -1;
  }

  private static void removeWaiter(Primitive primitive, String who) {
    int index = indexOfWaiter(primitive, who);
    if (index >= 0) {
      primitive.waiters.remove(index);
    }
  }

  /** The fencing token in a grant's detail ({@code token 7}), or null. */
  static Long tokenIn(String detail) {
    Matcher matcher = TOKEN.matcher(detail);
    if (!matcher.find()) {
      return null;
    }
    try {
      return Long.parseLong(matcher.group(1));
    } catch (NumberFormatException tooLong) {
      return null;
    }
  }

  /** The names of a detail written as a list ({@code [a, b, c]}), or none. */
  static List<String> namesIn(String detail) {
    String text = detail.strip();
    if (text.length() < 2 || text.charAt(0) != '[' || text.charAt(text.length() - 1) != ']') {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : text.substring(1, text.length() - 1).split(",")) {
      if (!name.isBlank()) {
        names.add(name.strip());
      }
    }
    return names;
  }

  /** A level's detail as a number where it is one, so the page can compare and draw it. */
  private static Object levelValue(String level) {
    if (level == null) {
      return null;
    }
    try {
      return Long.parseLong(level.strip());
    } catch (NumberFormatException notWhole) {
      try {
        return Double.parseDouble(level.strip());
      } catch (NumberFormatException notNumber) {
        return level;
      }
    }
  }

  /**
   * The members of a component in the order their waits go, from its first member: each waits for
   * the next. Where a member waits for several (a component of more than one cycle), the walk takes
   * the first unvisited one and the members it does not reach follow in search order.
   */
  private static List<String> inWaitOrder(List<String> component, Map<String, List<String>> next) {
    Set<String> members = new LinkedHashSet<>(component);
    List<String> ordered = new ArrayList<>(component.size());
    String at = component.get(0);
    while (at != null && members.remove(at)) {
      ordered.add(at);
      String following = null;
      for (String successor : next.get(at)) {
        if (members.contains(successor)) {
          following = successor;
          break;
        }
      }
      at = following;
    }
    ordered.addAll(members);
    return ordered;
  }

  /**
   * The strongly connected components of {@code edges} that hold a cycle: more than one node, or
   * one node with an edge to itself (a participant waiting for what it holds). Tarjan's algorithm,
   * iterative so that a long chain of waiters cannot overflow the stack.
   */
  static List<List<String>> components(List<Edge> edges) {
    Map<String, List<String>> next = new LinkedHashMap<>();
    Set<String> selfLoops = new LinkedHashSet<>();
    for (Edge edge : edges) {
      next.computeIfAbsent(edge.from(), n -> new ArrayList<>()).add(edge.to());
      next.computeIfAbsent(edge.to(), n -> new ArrayList<>());
      if (edge.from().equals(edge.to())) {
        selfLoops.add(edge.from());
      }
    }
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new LinkedHashSet<>();
    List<List<String>> found = new ArrayList<>();
    int counter = 0;
    for (String start : next.keySet()) {
      if (index.containsKey(start)) {
        continue;
      }
      Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
      index.put(start, counter);
      low.put(start, counter);
      counter++;
      stack.push(start);
      onStack.add(start);
      work.push(Map.entry(start, next.get(start).iterator()));
      while (!work.isEmpty()) {
        Map.Entry<String, Iterator<String>> frame = work.peek();
        String node = frame.getKey();
        Iterator<String> successors = frame.getValue();
        if (successors.hasNext()) {
          String successor = successors.next();
          if (!index.containsKey(successor)) {
            index.put(successor, counter);
            low.put(successor, counter);
            counter++;
            stack.push(successor);
            onStack.add(successor);
            work.push(Map.entry(successor, next.get(successor).iterator()));
          } else if (onStack.contains(successor)) {
            low.put(node, Math.min(low.get(node), index.get(successor)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = work.peek().getKey();
          low.put(parent, Math.min(low.get(parent), low.get(node)));
        }
        if (low.get(node).equals(index.get(node))) {
          List<String> component = new ArrayList<>();
          String member;
          do {
            member = stack.pop();
            onStack.remove(member);
            component.add(member);
          } while (!member.equals(node));
          if (component.size() > 1 || selfLoops.contains(node)) {
            Collections.reverse(component);
            found.add(inWaitOrder(component, next));
          }
        }
      }
    }
    return found;
  }
}
