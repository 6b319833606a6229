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
 * The worker-pool and futures scenarios, through the command line. Figures checked are the ones
 * that cannot depend on the machine's load.
 */
class PoolDemosTest {

  private static DemoRun run(String... args) {
    DemoRun run = DemoRun.of(args);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  private static long figure(String json, String name) {
    var matcher = java.util.regex.Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
    assertThat(matcher.find()).as(name + " in " + json).isTrue();
    return Math.round(Double.parseDouble(matcher.group(1)));
  }

  @Test
  void executorRunsTheCallsSeriallyThenTogether() {
    DemoRun run = run("run", "executor", "--json", "--speed", "100", "--seconds", "5");
    String json = run.lastLine();
    assertThat(json).contains("\"scenario\":\"executor\"", "\"ok\":true");
    // Sleeps only ever overrun, so the serial run takes at least the sum of its calls.
    assertThat(figure(json, "serial_ms")).isGreaterThanOrEqualTo(10_000);
    assertThat(figure(json, "pooled_ms")).isGreaterThanOrEqualTo(5_000);
    assertThat(run.out()).contains("main goes on at once", "call 2 returns");
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void processPoolLosesOneTaskToAKilledWorkerJvmAndGoesOn(@TempDir Path dir) throws Exception {
    // The thread-pool JVM holds back any slice past the second until the kill, and the worker JVM
    // killed is in the middle of its next slice (the default limit: hundreds of milliseconds).
    Path trace = dir.resolve("process-pool.html");
    DemoRun run = run("run", "process-pool", "--json", "--trace", trace.toString());
    assertThat(run.lastLine())
        .startsWith("{\"scenario\":\"process-pool\",\"ok\":true,")
        .contains(
            "\"processes\":2",
            "\"tasks\":8",
            "\"completed\":7",
            "\"failed\":1",
            "\"worker_restarts\":1",
            "\"exit_code\":137",
            "\"primes\":412849",
            "\"threads_jvm_done\":2");
    assertThat(run.out())
        .contains(
            "[thread-pool JVM] slice",
            "the JVM exited with code 137",
            "exited with code 137 while running task 'count-primes'");

    // The timeline: a lane per worker in each half, a task a holding span on its worker's lane.
    String page = Files.readString(trace);
    assertThat(page).doesNotContain("primes-");
    TimelineTest.Timeline timeline = TimelineTest.Timeline.parse(page);
    for (String half : List.of("threads", "actors")) {
      assertThat(timeline.lanes(half, lane -> !lane.participant().isEmpty()))
          .extracting(TimelineTest.Lane::participant)
          .as("the %s half's lanes", half)
          .containsExactlyInAnyOrder("worker-1", "worker-2");
      for (TimelineTest.Lane worker : timeline.lanes(half, lane -> !lane.participant().isEmpty())) {
        assertThat(TimelineTest.maxOverlap(worker.spans("holding")))
            .as("%s runs one task at a time", worker.participant())
            .isEqualTo(1);
      }
    }
    // the worker JVMs: 8 slices and the failed one again; the killed worker's task is revoked
    List<TimelineTest.Span> tasks = timeline.spans("actors", "primes", "holding");
    assertThat(tasks).hasSize(9);
    assertThat(tasks).filteredOn(task -> task.endKind().equals("revoked")).hasSize(1);
    assertThat(tasks).filteredOn(task -> task.endKind().equals("released")).hasSize(8);
    // the one JVM of threads: two slices counted, the ones running at the kill lost with it
    List<TimelineTest.Span> slices = timeline.spans("threads", "primes", "holding");
    assertThat(slices).filteredOn(slice -> slice.endKind().equals("released")).hasSize(2);
    assertThat(slices).filteredOn(slice -> slice.endKind().equals("revoked")).hasSizeBetween(1, 2);
  }

  @Test
  void poolMapKeepsInputOrderAndTimesOut() {
    String json = run("run", "pool-map", "--json", "--speed", "100").lastLine();
    assertThat(json).contains("\"ok\":true", "\"results_in_order\":true", "\"timed_out\":true");
  }

  @Test
  void gatherWaitAndWaitFor() {
    DemoRun run = run("run", "gather-wait", "--json", "--speed", "100");
    assertThat(run.lastLine())
        .contains(
            "\"ok\":true",
            "\"gathered\":[\"a.txt\",\"b.txt\",\"c.txt\"]",
            "\"cancelled_by_wait_for\":true");
    assertThat(figure(run.lastLine(), "done") + figure(run.lastLine(), "pending")).isEqualTo(3);
  }

  @Test
  void applyAsyncSurvivesAWorkerDying() {
    String json = run("run", "apply-async", "--json", "--speed", "100").lastLine();
    assertThat(json)
        .contains(
            "\"ok\":true",
            "\"callbacks\":4",
            "\"error_callbacks\":2",
            "\"worker_died_handled\":true");
  }

  @Test
  void cpuParallelCountsTheSamePrimesBothWays() {
    String json =
        run("run", "cpu-parallel", "--json", "--limit", "200000", "--workers", "2").lastLine();
    assertThat(json).contains("\"ok\":true", "\"workers\":2", "\"primes\":17984");
    assertThat(json).contains("\"speedup\":");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(DemoRun.of("run", "executor", "--calls", "0").exitCode()).isEqualTo(2);
    assertThat(DemoRun.of("run", "pool-map", "--slow-item", "99").exitCode()).isEqualTo(2);
    assertThat(DemoRun.of("run", "cpu-parallel", "--workers", "0").exitCode()).isEqualTo(2);
  }

  @Test
  void taskGroupCancelsTheOtherTwoWhenOneFails() {
    String json = run("run", "task-group", "--json", "--speed", "100").lastLine();
    assertThat(json).contains("\"scenario\":\"task-group\"", "\"ok\":true");
    assertThat(json).startsWith("{\"scenario\":\"task-group\",\"ok\":true,");
    assertThat(json)
        .contains(
            "\"started\":3,\"failed\":1,\"cancelled\":2,\"errors\":[\"b.txt: 503 Service Unavailable\"]");
    assertThat(json).contains("\"timeout_scope\":{\"started\":2,\"failed\":0,\"cancelled\":1");
  }
}
