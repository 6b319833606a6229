package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The timelines a learner reads: a story's threads half records, through the kit's tracer, the same
 * kind of events as its actor half, with one lane per person, cook, baker or worker, named as the
 * actor half names them. Checked on the recorded {@link TraceEvent}s, not on a rendering.
 *
 * <p>Each case runs the scenario in this JVM with tracing on, fast ({@code --speed}), and checks
 * the threads half's primitive: exactly the story's participants; every wait ends (granted, woken,
 * timed out, withdrawn...) for the participant that waited; every holding span is released; no more
 * holders at once than the primitive admits. Then that the actor half names the same participants.
 */
class TimelineLanesTest {

  /**
   * One scenario's check.
   *
   * @param scenario its name
   * @param options its options as typed on the command line (the rest take their defaults)
   * @param speed story time per real time
   * @param primitives the {@code threads/NAME} primitives checked, each named as its actor twin
   * @param participants the story's participants, given the name of the thread that runs the story
   *     (it takes part where the story's main line puts or sets something)
   * @param maxHolders how many may hold the primitive at once (0: nobody holds it, no spans)
   */
  record Case(
      String scenario,
      Map<String, String> options,
      double speed,
      List<String> primitives,
      Function<String, Set<String>> participants,
      int maxHolders) {
    @Override
    public String toString() {
      return scenario;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "room",
            Map.of("people", "7", "capacity", "2", "stay", "4"),
            100,
            List.of("room"),
            main ->
                names(
                    "person-Ann",
                    "person-Bob",
                    "person-Cid",
                    "person-Dee",
                    "person-Eve",
                    "person-Fay",
                    "person-Gus"),
            2),
        new Case(
            "readers-writers",
            Map.of("readers", "3", "writers", "2", "rounds", "2"),
            100,
            List.of("file-lock"),
            main -> names("reader-1", "reader-2", "reader-3", "writer-1", "writer-2"),
            4), // three readers and a writer that downgraded to read back what it wrote
        new Case("atm-race", Map.of(), 100, List.of("account"), main -> names("ATM-1", "ATM-2"), 1),
        new Case(
            "deadlock",
            Map.of(),
            100,
            List.of("knife", "pot"),
            main -> names("cook-1", "cook-2"),
            1),
        new Case(
            "hotpot",
            Map.of("friends", "5", "countdown", "1"),
            100,
            List.of("dinner"),
            main -> with(numbered("friend-", 5), main),
            0),
        new Case(
            "barrier",
            Map.of("runners", "3", "races", "2"),
            100,
            List.of("start-line"),
            main -> numbered("runner-", 3),
            0),
        new Case(
            "buns",
            Map.of("items", "8", "capacity", "2"),
            100,
            List.of("basket"),
            main -> with(names("baker-1", "baker-2", "eater-1", "eater-2"), main),
            0),
        new Case(
            "condition",
            Map.of("items", "8", "capacity", "2"),
            100,
            List.of("basket-lock"),
            main -> names("baker-1", "baker-2", "eater-1", "eater-2"),
            1),
        new Case(
            "work-pulling",
            Map.of("items", "8", "workers", "3"),
            100,
            List.of("jobs"),
            main -> with(numbered("jobs-worker-", 3), main),
            3), // a worker holds the job it runs
        new Case(
            "executor",
            Map.of("calls", "3", "seconds", "5"),
            100,
            List.of("calls"),
            main -> numbered("worker-", 3),
            3),
        new Case(
            "task-group", Map.of(), 100, List.of("downloads"), main -> numbered("worker-", 3), 3),
        // Each queue is traced as the pipe end its reader takes from; both sides use both.
        new Case(
            "pipe",
            Map.of(),
            100,
            List.of("greeting-1", "greeting-2"),
            main -> names(main, "child"),
            0));
    // Not here, as they start other JVMs: manager and process-pool, whose timelines are read in
    // the tests that already run them (PipeAndManagerDemoTest, PoolDemosTest).
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theThreadsHalfHasALanePerParticipantAndTheActorHalfTheSame(Case check) throws Exception {
    String main = Thread.currentThread().getName();
    Set<String> expected = check.participants().apply(main);
    List<TraceEvent> events = traced(check);

    Set<String> threadsParticipants = new HashSet<>();
    for (String primitive : check.primitives()) {
      List<TraceEvent> mine =
          events.stream()
              .filter(event -> event.actor().equals(TraceEvent.THREADS + primitive))
              .toList();
      assertThat(mine).as("%s: events of threads/%s", check, primitive).isNotEmpty();
      Set<String> lanes = participants(mine);
      assertThat(lanes).as("%s: participants of threads/%s", check, primitive).isEqualTo(expected);
      threadsParticipants.addAll(lanes);
      assertSpansAreWellFormed(check, primitive, mine);
    }

    Set<String> actorParticipants = participants(actorHalf(events));
    assertThat(actorParticipants)
        .as("%s: the actor half's participants include the threads half's", check)
        .containsAll(threadsParticipants);
  }

  @Test
  void helloNamesPingAndPongAndShowsPingWaitingForEachAnswer() throws Exception {
    List<TraceEvent> events =
        traced(new Case("hello", Map.of("rounds", "3"), 1, List.of(), main -> Set.of(), 0));
    assertThat(participants(events)).containsExactlyInAnyOrder("ping", "pong");
    List<TraceEvent> pingWaits =
        events.stream()
            .filter(event -> event.participant().equals("ping"))
            .filter(
                event ->
                    event.kind().equals(TraceKind.WAITING) || event.kind().equals(TraceKind.WOKE))
            .toList();
    assertThat(pingWaits)
        .extracting(TraceEvent::kind)
        .containsExactly(
            TraceKind.WAITING,
            TraceKind.WOKE,
            TraceKind.WAITING,
            TraceKind.WOKE,
            TraceKind.WAITING,
            TraceKind.WOKE);
  }

  @Test
  void theThreadsHalfRecordsNothingWhileTracingIsOff() throws Exception {
    List<TraceEvent> events =
        run(cases().filter(c -> c.scenario().equals("room")).findFirst().get(), false);
    assertThat(events).isEmpty();
  }

  /**
   * Per participant, in the order recorded: a wait ends (a grant or an end of waiting) before the
   * next wait; a grant comes from a wait or from nothing (it got in at once); every hold is
   * released by the end; and at no time hold more participants than {@code maxHolders}. For the
   * file lock, a writer holds it alone.
   */
  private static void assertSpansAreWellFormed(
      Case check, String primitive, List<TraceEvent> events) {
    Set<String> waiting = new HashSet<>();
    Map<String, Set<String>> holding = new LinkedHashMap<>();
    int mostHolders = 0;
    for (TraceEvent event : events) {
      String who = event.participant();
      String kind = event.kind();
      String where = check + " threads/" + primitive + " at " + event;
      if (kind.equals(TraceKind.WAITING)) {
        assertThat(waiting.add(who)).as("%s: waits again before its wait ended", where).isTrue();
      } else if (kind.equals(TraceKind.GRANTED)) {
        waiting.remove(who);
        holding.computeIfAbsent(who, w -> new HashSet<>()).add(event.detail());
        mostHolders = Math.max(mostHolders, holding.size());
        if (primitive.equals("file-lock") && holding.values().stream().anyMatch(writing())) {
          assertThat(holding).as("%s: a writer holds the file alone", where).hasSize(1);
        }
      } else if (kind.equals("gave back")) {
        assertThat(holding).as("%s: gives back what it holds", where).containsKey(who);
        holding.get(who).remove(event.detail());
      } else if (TraceKind.ENDS_HOLDING.contains(kind)) {
        assertThat(holding).as("%s: releases what it holds", where).containsKey(who);
        holding.remove(who);
      } else if (TraceKind.ENDS_WAITING.contains(kind)) {
        assertThat(waiting.remove(who)).as("%s: ends a wait it had", where).isTrue();
      }
    }
    assertThat(waiting).as("%s threads/%s: waits never ended", check, primitive).isEmpty();
    assertThat(holding).as("%s threads/%s: holds never released", check, primitive).isEmpty();
    assertThat(mostHolders)
        .as("%s threads/%s: most holders at once", check, primitive)
        .isLessThanOrEqualTo(check.maxHolders());
  }

  private static java.util.function.Predicate<Set<String>> writing() {
    return details -> details.contains("write");
  }

  private static List<TraceEvent> traced(Case check) throws Exception {
    return run(check, true);
  }

  /** Runs the scenario in a kit of its own, as the command line does, and returns its events. */
  private static List<TraceEvent> run(Case check, boolean tracing) throws Exception {
    Scenario scenario = Scenarios.named(check.scenario()).orElseThrow();
    Map<String, Object> options = new HashMap<>();
    for (ScenarioOption option : scenario.options()) {
      String typed = check.options().getOrDefault(option.name(), option.defaultValue());
      options.put(option.name(), parse(option.type(), typed));
    }
    try (ActorKit kit = ActorKit.create("actorkit", ActorKit.speed(check.speed()));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      if (tracing) {
        kit.tracer().start();
      }
      ScenarioResult result =
          scenario.run(new ScenarioContext(kit, new Story(quiet, kit.clock()), options));
      assertThat(result.ok()).as("%s: its invariants held", check).isTrue();
      kit.tracer().stop();
      assertThat(kit.tracer().dropped()).as("%s: events dropped", check).isZero();
      return kit.tracer().events();
    }
  }

  private static Object parse(Class<?> type, String typed) {
    if (type == Integer.class) {
      return Integer.valueOf(typed);
    }
    if (type == Long.class) {
      return Long.valueOf(typed);
    }
    if (type == Double.class) {
      return Double.valueOf(typed);
    }
    return typed;
  }

  private static List<TraceEvent> actorHalf(List<TraceEvent> events) {
    return events.stream().filter(event -> !event.fromThreads()).toList();
  }

  private static Set<String> participants(List<TraceEvent> events) {
    return events.stream()
        .map(TraceEvent::participant)
        .filter(who -> !who.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> names(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }

  private static Set<String> numbered(String prefix, int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> prefix + i)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> with(Set<String> names, String more) {
    Set<String> all = new LinkedHashSet<>(names);
    all.add(more);
    return all;
  }
}
