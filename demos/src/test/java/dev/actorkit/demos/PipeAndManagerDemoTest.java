package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demos with real child JVMs (pipe, manager, failover, durable-bank): bounded in time, JSON
 * checked, and the timelines of those that start cluster nodes read against it.
 */
class PipeAndManagerDemoTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void pipeGreetsInOneJvmThenAcrossTwoAndSeesTheEndOfStream(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("pipe.html");
    DemoRun run =
        DemoRun.of("run", "pipe", "--json", "--speed", "100", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"pipe\",\"ok\":true,")
        .contains("\"messages\":6", "\"eof_seen\":true", "\"processes\":2");
    assertThat(run.out())
        .contains("parent got 你好!", "[child JVM] child got Hello!", "EndOfStreamException");

    // Both halves: the parent (this thread) sends Hello! first, and the child takes it.
    String parent = Thread.currentThread().getName();
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    assertThat(firstMark(timeline, "threads", parent)).isEqualTo("greeting-2 put");
    assertThat(firstMark(timeline, "actors", parent)).isEqualTo("greeting-1 sent");
    // the child gets Hello! at once, or wakes with it if it asked before it came
    for (String half : List.of("threads", "actors")) {
      assertThat(firstMark(timeline, half, "child"))
          .as("the child's first mark in the %s half", half)
          .isIn("greeting-2 taken", "greeting-2 woke");
    }
    // each wait of the parent ends: woken by a value, or dropped by the end of the stream
    assertThat(lane(timeline, parent, "greeting-1").spans("waiting"))
        .allSatisfy(wait -> assertThat(wait.endKind()).isIn("woke", "dropped"));
  }

  /** The first mark on a participant's lanes in one half, as "primitive kind". */
  private static String firstMark(TimelineTest.Timeline timeline, String half, String participant) {
    return timeline.lanes(half, lane -> lane.participant().equals(participant)).stream()
        .flatMap(lane -> lane.marks().stream())
        .min((a, b) -> Double.compare(a.ms(), b.ms()))
        .map(mark -> mark.primitive() + " " + mark.kind())
        .orElse("none");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void failoverRefusesTheFrozenHoldersLateWriteAndGivesBackTheKilledOnesPermits(@TempDir Path dir)
      throws Exception {
    Path trace = dir.resolve("failover.html");
    DemoRun run = DemoRun.of("run", "failover", "--json", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"failover\",\"ok\":true,")
        .contains(
            "\"processes\":3",
            "\"stale_write_refused\":true",
            "\"token_before\":1",
            "\"token_after\":2",
            "\"parent_up\":true");
    assertThat(run.out()).contains("late withdrawal: refused", "both permits came back");

    // The parent's timeline shows the child JVMs' callers by their node's label, and the cook.
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    List<TimelineTest.Span> till = timeline.spans("actors", "till", "holding");
    assertThat(till)
        .extracting(TimelineTest.Span::token, TimelineTest.Span::endKind)
        .containsExactly(tuple("1", "revoked"), tuple("2", "released"));
    assertThat(holder(timeline, "till", "1")).isEqualTo("caller@holder");
    assertThat(holder(timeline, "till", "2")).isEqualTo("cook");
    // the cook waited for the frozen holder and got the till when its hold was revoked
    List<TimelineTest.Span> cookWaits = lane(timeline, "cook", "till").spans("waiting");
    assertThat(cookWaits).hasSize(1);
    assertThat(cookWaits.get(0).endKind()).isEqualTo("granted");
    assertThat(cookWaits.get(0).end()).isEqualTo(till.get(1).start());
    assertThat(cookWaits.get(0).start())
        .as("the cook waited while the frozen holder held the till")
        .isLessThan(till.get(0).end());
    // the baker's JVM held both oven permits until it was killed, then the cook had them
    List<TimelineTest.Span> oven = timeline.spans("actors", "oven", "holding");
    assertThat(oven)
        .extracting(TimelineTest.Span::token, TimelineTest.Span::endKind)
        .containsExactly(tuple("1", "revoked"), tuple("2", "released"));
    assertThat(holder(timeline, "oven", "1")).isEqualTo("caller@baker");
    assertThat(TimelineTest.maxOverlap(oven)).isEqualTo(1);
  }

  /** Whose lane holds the span of {@code primitive} with {@code token}. */
  private static String holder(TimelineTest.Timeline timeline, String primitive, String token) {
    return timeline.lanes("actors", lane -> true).stream()
        .filter(
            lane ->
                lane.spans("holding").stream()
                    .anyMatch(s -> s.primitive().equals(primitive) && s.token().equals(token)))
        .map(TimelineTest.Lane::participant)
        .findFirst()
        .orElse("nobody");
  }

  /** The actors half's lane of {@code participant}, only its spans on {@code primitive}. */
  private static TimelineTest.Lane lane(
      TimelineTest.Timeline timeline, String participant, String primitive) {
    List<TimelineTest.Lane> lanes =
        timeline.lanes("actors", lane -> lane.participant().equals(participant));
    assertThat(lanes).as("a lane for %s", participant).isNotEmpty();
    List<TimelineTest.Span> spans =
        lanes.stream()
            .flatMap(lane -> lane.all().stream())
            .filter(span -> span.primitive().equals(primitive))
            .toList();
    return new TimelineTest.Lane("actors", participant, primitive, spans, List.of());
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void durableBankFinishesEveryTransferAfterTheBusiestAccountsJvmIsKilledAndARestartFindsTheMoney(
      @TempDir Path dir) throws Exception {
    Path trace = dir.resolve("durable-bank.html");
    DemoRun run = DemoRun.of("run", "durable-bank", "--json", "--trace", trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"durable-bank\",\"ok\":true,")
        .contains(
            "\"processes\":3",
            "\"transfers\":60",
            "\"total_before\":6000",
            "\"total_after\":6000",
            "\"total_after_restart\":6000",
            "\"in_doubt_left\":0",
            "\"token_after_restart_greater\":true");
    assertThat(run.out()).contains("kill -9", "answers again", "a new cluster of one JVM");

    // The timeline of the parent's kits shows what sharding put in the parent JVM: the bank's
    // transfers, each asked and answered, and the vault's holds (the fresh cluster's always).
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    List<TimelineTest.Instant> bank =
        timeline.instants("actors").stream().filter(m -> m.primitive().equals("bank")).toList();
    if (run.lastLine().contains("\"bank_in_parent\":true")) {
      long requested = bank.stream().filter(m -> m.kind().equals("requested")).count();
      assertThat(requested).as("each transfer asked at least once").isGreaterThanOrEqualTo(60);
      assertThat(bank.stream().filter(m -> m.kind().equals("finished")).count())
          .as("each ask answered")
          .isEqualTo(requested);
    } else {
      assertThat(bank).as("the bank lives in a child JVM").isEmpty();
    }
    assertThat(timeline.spans("actors", "vault", "holding"))
        .extracting(TimelineTest.Span::token)
        .containsExactlyElementsOf(
            run.lastLine().contains("\"vault_in_parent\":true") ? List.of("1", "2") : List.of("2"));
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void managerSeesWhatTheChildJvmWrote(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("manager.html");
    DemoRun run =
        DemoRun.of(
            "run",
            "manager",
            "--json",
            "--speed",
            "100",
            "--items",
            "4",
            "--trace",
            trace.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"manager\",\"ok\":true,")
        .contains("\"list_size\":4", "\"dict_size\":6", "\"processes\":2");
    assertThat(run.out())
        .contains("parent sees list[3] = item-3 from pid", "d['fruits'] is [apple]");

    // Both halves: the worker thread writes in one JVM, the child JVM's caller through the actors.
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(Files.readString(trace));
    for (String collection : List.of("list", "dict")) {
      assertThat(marks(timeline, "threads", "worker", collection)).as(collection).isEqualTo(4);
      assertThat(marks(timeline, "actors", "caller@child", collection))
          .as(collection)
          .isGreaterThanOrEqualTo(4);
    }
  }

  private static long marks(
      TimelineTest.Timeline timeline, String half, String participant, String primitive) {
    return timeline.lanes(half, lane -> lane.participant().equals(participant)).stream()
        .flatMap(lane -> lane.marks().stream())
        .filter(mark -> mark.primitive().equals(primitive))
        .count();
  }
}
