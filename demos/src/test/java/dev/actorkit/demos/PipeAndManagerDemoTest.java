package dev.actorkit.demos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipe and manager demos, each with a real child JVM: bounded in time, JSON checked, and the
 * timelines read against it. The other demos that start JVMs have classes of their own ({@link
 * FailoverDemoTest}, {@link DurableBankDemoTest}, {@link PoolDemosTest}), so that Surefire's forks
 * can run them side by side.
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
    assertThat(timeline.lane("actors", parent, "greeting-1").spans("waiting"))
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
