package dev.actorkit.core.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.console.ConsoleModel.Edge;
import dev.actorkit.core.console.ConsoleModel.Holder;
import dev.actorkit.core.console.ConsoleModel.Waiter;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fold from trace events to holders, waiters, levels and the wait-for graph. */
class ConsoleModelTest {

  private final ConsoleModel model = new ConsoleModel(Duration.ZERO);
  private long millis;

  /** Folds one event, each a millisecond of story time after the last. */
  private ConsoleModel.Primitive event(String actor, String kind, String who, String detail) {
    millis++;
    return model.apply(new TraceEvent(Duration.ofMillis(millis), actor, kind, who, detail));
  }

  private List<String> waiters(String actor) {
    return model.find(actor).waiters.stream().map(Waiter::participant).toList();
  }

  private List<String> holders(String actor) {
    return List.copyOf(model.find(actor).holders.keySet());
  }

  @Test
  void aGrantMakesAHolderWithItsTokenAndSinceWhenAndItsReleaseEndsIt() {
    event("primitives/till", TraceKind.GRANTED, "alice", "token 7");
    Holder alice = model.find("primitives/till").holders.get("alice");
    assertThat(alice.token()).isEqualTo(7L);
    assertThat(alice.since()).isEqualTo(Duration.ofMillis(1));
    assertThat(alice.grants()).isEqualTo(1);

    event("primitives/till", TraceKind.RELEASED, "alice", "token 7");
    assertThat(holders("primitives/till")).isEmpty();
  }

  @Test
  void aThreadHoldingThroughTwoCallsStaysAHolderUntilItsLastRelease() {
    // two SemaphoreClient.acquire() from thread main: two stand-ins, both named main, each
    // granted and released once
    event("primitives/room", TraceKind.GRANTED, "main", "1 permit");
    event("primitives/room", TraceKind.GRANTED, "main", "1 permit");
    Holder main = model.find("primitives/room").holders.get("main");
    assertThat(main.grants()).isEqualTo(2);
    assertThat(main.since()).as("the first grant's time").isEqualTo(Duration.ofMillis(1));

    event("primitives/room", TraceKind.RELEASED, "main", "1 permit");
    main = model.find("primitives/room").holders.get("main");
    assertThat(main).as("main still holds one permit").isNotNull();
    assertThat(main.grants()).isEqualTo(1);
    assertThat(main.since()).isEqualTo(Duration.ofMillis(1));

    event("primitives/room", TraceKind.RELEASED, "main", "1 permit");
    assertThat(holders("primitives/room")).isEmpty();
  }

  @Test
  void aSecondGrantUnderOneNameKeepsTheFirstTokenAndARevocationTakesOneBackToo() {
    event("primitives/lock", TraceKind.GRANTED, "main", "token 3");
    event("primitives/lock", TraceKind.GRANTED, "main", "token 4");
    assertThat(model.find("primitives/lock").holders.get("main").token()).isEqualTo(3L);

    event("primitives/lock", TraceKind.REVOKED, "main", "its lease ran out, token 3");
    assertThat(holders("primitives/lock")).containsExactly("main");
    event("primitives/lock", TraceKind.RELEASED, "main", "token 4");
    assertThat(holders("primitives/lock")).isEmpty();
  }

  @Test
  void aReleaseByNoHolderChangesNothing() {
    // granted before the model was live: its release is all the model hears of it
    event("primitives/till", TraceKind.GRANTED, "alice", "token 2");
    event("primitives/till", TraceKind.RELEASED, "bob", "token 1");
    assertThat(holders("primitives/till")).containsExactly("alice");
    assertThat(model.find("primitives/till").holders.get("alice").grants()).isEqualTo(1);
  }

  @Test
  void aRevocationEndsAHoldingToo() {
    event("primitives/till", TraceKind.GRANTED, "alice", "token 1");
    event("primitives/till", TraceKind.REVOKED, "alice", "lease expired");
    assertThat(holders("primitives/till")).isEmpty();
  }

  @Test
  void waitersKeepTheirQueueOrderAndLeaveItByGrantOrByAnyEndOfWaiting() {
    event("primitives/room", TraceKind.WAITING, "bob", "");
    event("primitives/room", TraceKind.WAITING, "carol", "");
    event("primitives/room", TraceKind.WAITING, "dan", "");
    event("primitives/room", TraceKind.WAITING, "bob", "asked again");
    assertThat(waiters("primitives/room")).containsExactly("bob", "carol", "dan");
    assertThat(model.find("primitives/room").waiters.get(1).since())
        .isEqualTo(Duration.ofMillis(2));

    event("primitives/room", TraceKind.GRANTED, "carol", "");
    assertThat(waiters("primitives/room")).containsExactly("bob", "dan");
    assertThat(holders("primitives/room")).containsExactly("carol");

    for (String end : TraceKind.ENDS_WAITING) {
      event("primitives/room", TraceKind.WAITING, "eve", "");
      event("primitives/room", end, "eve", "");
      assertThat(waiters("primitives/room")).as(end).containsExactly("bob", "dan");
    }
  }

  @Test
  void aLevelIsTheLastOneReportedAndANumberWhereItIsOne() {
    event("primitives/basket", TraceKind.LEVEL, "", "3");
    event("primitives/basket", TraceKind.LEVEL, "", "2");
    Map<String, Object> json = model.find("primitives/basket").toJson();
    assertThat(json).containsEntry("level", 2L).containsEntry("levelAt", Duration.ofMillis(2));
  }

  @Test
  void anEventWithoutAParticipantChangesNoHolderNorWaiter() {
    event("primitives/till", TraceKind.GRANTED, "", "token 1");
    event("primitives/till", TraceKind.WAITING, "", "");
    assertThat(holders("primitives/till")).isEmpty();
    assertThat(waiters("primitives/till")).isEmpty();
    assertThat(model.find("primitives/till").events).isEqualTo(2);
    assertThat(model.recent()).hasSize(2);
  }

  @Test
  void twoLocksTakenInOppositeOrderAreADeadlockInTheGraph() {
    event("primitives/pot", TraceKind.GRANTED, "cook-1", "token 1");
    event("primitives/knife", TraceKind.GRANTED, "cook-2", "token 1");
    event("primitives/knife", TraceKind.WAITING, "cook-1", "");
    assertThat(model.edges())
        .containsExactly(new Edge("cook-1", "cook-2", "primitives/knife", true, false));

    event("primitives/pot", TraceKind.WAITING, "cook-2", "");
    assertThat(model.edges())
        .containsExactlyInAnyOrder(
            new Edge("cook-1", "cook-2", "primitives/knife", true, true),
            new Edge("cook-2", "cook-1", "primitives/pot", true, true));
    assertThat(model.graphJson().get("cycles"))
        .asList()
        .singleElement()
        .asList()
        .containsExactlyInAnyOrder("cook-1", "cook-2");

    event("primitives/pot", TraceKind.DEADLOCK, "cook-2", "[cook-2, pot, cook-1, knife]");
    assertThat(model.edges()).noneMatch(Edge::cycle);
    assertThat(model.graphJson().get("cycles")).isEqualTo(List.of());
  }

  @Test
  void aWaitForAPrimitiveWithSeveralHoldersIsDrawnButNoDeadlock() {
    event("primitives/room", TraceKind.GRANTED, "ann", "");
    event("primitives/room", TraceKind.GRANTED, "bob", "");
    event("primitives/till", TraceKind.GRANTED, "cid", "");
    event("primitives/room", TraceKind.WAITING, "cid", "");
    event("primitives/till", TraceKind.WAITING, "ann", "");
    assertThat(model.edges())
        .containsExactlyInAnyOrder(
            new Edge("cid", "ann", "primitives/room", false, false),
            new Edge("cid", "bob", "primitives/room", false, false),
            new Edge("ann", "cid", "primitives/till", true, false));
  }

  @Test
  void waitingForWhatOneHoldsIsADeadlockOfOne() {
    event("primitives/till", TraceKind.GRANTED, "alice", "");
    event("primitives/till", TraceKind.WAITING, "alice", "");
    assertThat(model.edges())
        .containsExactly(new Edge("alice", "alice", "primitives/till", true, true));
  }

  @Test
  void aLongChainOfWaitersIsNoDeadlockAndDoesNotOverflowTheSearch() {
    List<Edge> chain = new java.util.ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      chain.add(new Edge("p" + i, "p" + (i + 1), "primitives/lock-" + i, true, false));
    }
    assertThat(ConsoleModel.components(chain)).isEmpty();
    chain.add(new Edge("p50000", "p0", "primitives/lock-50000", true, false));
    assertThat(ConsoleModel.components(chain)).singleElement().asList().hasSize(50_001);
  }

  @Test
  void aCycleIsListedInTheOrderItsWaitsGo() {
    List<Edge> ring =
        List.of(
            new Edge("a", "b", "primitives/x", true, false),
            new Edge("c", "a", "primitives/z", true, false),
            new Edge("b", "c", "primitives/y", true, false));
    assertThat(ConsoleModel.components(ring)).containsExactly(List.of("a", "b", "c"));
  }

  @Test
  void theDeadlockDetectorsCycleIsKept() {
    event("system/deadlock-detector", TraceKind.DEADLOCK, "", "[cook-1, pot, cook-2, knife]");
    event("system/deadlock-detector", TraceKind.DEADLOCK, "", "not a list");
    assertThat(model.detected())
        .singleElement()
        .satisfies(
            found -> {
              assertThat(found.cycle()).containsExactly("cook-1", "pot", "cook-2", "knife");
              assertThat(found.by()).isEqualTo("system/deadlock-detector");
              assertThat(found.at()).isEqualTo(Duration.ofMillis(1));
            });
  }

  @Test
  void pastItsCapItForgetsTheIdlePrimitiveTouchedLongestAgo() {
    event("primitives/busy", TraceKind.GRANTED, "alice", "");
    for (int i = 0; i < ConsoleModel.MAX_PRIMITIVES; i++) {
      event("primitives/p" + i, "set", "", "");
    }
    assertThat(model.primitives()).hasSize(ConsoleModel.MAX_PRIMITIVES);
    assertThat(model.find("primitives/busy")).as("it has a holder").isNotNull();
    assertThat(model.find("primitives/p0")).as("idle and oldest").isNull();
  }

  @Test
  void aTokenIsReadFromTheGrantsDetail() {
    assertThat(ConsoleModel.tokenIn("token 12")).isEqualTo(12L);
    assertThat(ConsoleModel.tokenIn("x2 token 3")).isEqualTo(3L);
    assertThat(ConsoleModel.tokenIn("tokens")).isNull();
    assertThat(ConsoleModel.tokenIn("token 99999999999999999999")).isNull();
  }

  @Test
  void jsonIsOneLineAndCannotCloseAScript() {
    String json =
        Json.write(
            Map.of("detail", "</script>\n\"quoted\" & \u2028", "at", Duration.ofMillis(1500)));
    assertThat(json).doesNotContain("<", ">", "&", "\n", "\u2028");
    assertThat(json).contains("\\u003c/script\\u003e\\n\\\"quoted\\\"", "1.5");
  }
}
